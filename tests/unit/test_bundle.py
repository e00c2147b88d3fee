"""The audit bundle: lossless round trip, idempotent import, validation with JSON paths, all-or-nothing writes."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, inspect, select

from app.audit import bundle as bundle_module
from app.audit.bundle import (
    AuditBundle,
    BundleRejected,
    ImportResult,
    bundle_to_json,
    copy_blobs,
    export_audit,
    import_bundle,
    json_schema_text,
    parse_bundle,
    write_json_schema,
)
from app.audit.bundle_format import (
    BundleAnswer,
    BundleAttachment,
    BundleAudit,
    BundleBlob,
    BundleCampaign,
    BundleChangeHistory,
    BundleCoordinator,
    BundleEnterprise,
    BundleFinding,
    BundleFollowUp,
    BundleModule,
    BundleNotice,
    BundleRectificationItem,
    BundleTemplate,
    BundleWageCheck,
)
from app.audit.wage_checks import load_evidence
from app.db import Database
from app.models import (
    Answer,
    Attachment,
    Audit,
    AuditModule,
    Base,
    Blob,
    Campaign,
    ChangeHistory,
    Coordinator,
    Enterprise,
    Finding,
    FollowUp,
    ItemStatus,
    Notice,
    NoticeStatus,
    RectificationItem,
    Template,
    WageCheck,
)
from app.storage.blobstore import BlobStore
from core.errors import LaborCheckError
from tests.unit._builders import (
    FullAudit,
    add_audit,
    add_coordinator,
    add_enterprise,
    add_template,
    build_full_audit,
    open_test_database,
)

EXPORTED_AT = dt.datetime(2026, 11, 25, 8, 0, tzinfo=dt.UTC)
SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "audit-bundle.schema.json"


@pytest.fixture
def source(tmp_path: Path) -> Iterator[Database]:
    database = open_test_database(tmp_path, "source.db")
    yield database
    database.close()


@pytest.fixture
def target(tmp_path: Path) -> Iterator[Database]:
    database = open_test_database(tmp_path, "target.db")
    yield database
    database.close()


@pytest.fixture
def source_store(tmp_path: Path) -> BlobStore:
    return BlobStore(tmp_path / "source-blobs")


@pytest.fixture
def target_store(tmp_path: Path) -> BlobStore:
    return BlobStore(tmp_path / "target-blobs")


@pytest.fixture
def full(source: Database, source_store: BlobStore) -> FullAudit:
    with source.session() as session:
        return build_full_audit(session, source_store)


@pytest.fixture
def exported(source: Database, full: FullAudit) -> AuditBundle:
    with source.session() as session:
        return export_audit(session, full.audit_id, exported_at=EXPORTED_AT)


def snapshot(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to prove a refused import wrote nothing."""
    with database.engine.connect() as connection:
        return {
            table.name: sorted(
                (tuple(repr(value) for value in row) for row in connection.execute(table.select())), key=repr
            )
            for table in Base.metadata.sorted_tables
        }


def import_into(
    database: Database, data: AuditBundle | bytes | str, store: BlobStore | None = None, **kwargs: Any
) -> ImportResult:
    with database.session() as session:
        return import_bundle(session, data, blob_store=store, today=dt.date(2026, 11, 25), **kwargs)


def export_from(database: Database, audit_id: str) -> AuditBundle:
    with database.session() as session:
        return export_audit(session, audit_id, exported_at=EXPORTED_AT)


def edited(bundle: AuditBundle, mutate: Callable[[dict[str, Any]], None]) -> bytes:
    document = json.loads(bundle_to_json(bundle))
    mutate(document)
    return json.dumps(document, ensure_ascii=False).encode()


def rejected(database: Database, data: AuditBundle | bytes | str, store: BlobStore | None = None) -> BundleRejected:
    before = snapshot(database)
    with pytest.raises(BundleRejected) as raised:
        import_into(database, data, store)
    assert snapshot(database) == before
    assert isinstance(raised.value, LaborCheckError)
    return raised.value


# --- round trip and idempotency ------------------------------------------------------------------------------------


def test_export_json_import_into_a_fresh_database_and_export_again_gives_an_equal_bundle(
    target: Database, exported: AuditBundle, source_store: BlobStore, target_store: BlobStore
) -> None:
    data = bundle_to_json(exported)
    assert copy_blobs(exported, source_store, target_store) == 5
    result = import_into(target, data, target_store)
    assert result.outcome == "created"
    again = export_from(target, exported.audit.id)
    assert again == exported
    assert bundle_to_json(again) == data


def test_the_full_audit_bundle_carries_every_part(exported: AuditBundle, full: FullAudit) -> None:
    assert [module.module for module in exported.audit.modules] == ["CONTRACT", "WAGE"]
    assert exported.audit.modules[0].template.content["module"]["module"] == "CONTRACT"
    assert len(exported.answers) == 5
    assert len(exported.findings) == 4
    assert len(exported.rectification_items) == 4
    assert set(full.item_ids) <= {item.id for item in exported.rectification_items}
    assert sum(finding.removed_reason is not None for finding in exported.findings) == 1
    assert [follow_up.coordinator.name for follow_up in exported.follow_ups] == ["孙七"]
    assert {notice.status for notice in exported.notices} == {NoticeStatus.VOIDED, NoticeStatus.DRAFT}
    assert len(exported.attachments) == 3
    assert [blob.sha256 for blob in exported.blobs] == full.blob_hashes
    (check,) = exported.wage_checks
    assert check.evidence_sha256 in full.blob_hashes
    assert [a.kind for a in exported.attachments if a.id == check.sources[0]["attachment_id"]] == ["sheet"]
    assert exported.coordinator.device_code == "A3"
    assert exported.campaign is not None


def test_importing_the_same_bundle_twice_writes_nothing_the_second_time(
    target: Database, exported: AuditBundle, source_store: BlobStore, target_store: BlobStore
) -> None:
    copy_blobs(exported, source_store, target_store)
    first = import_into(target, bundle_to_json(exported), target_store)
    after_first = snapshot(target)
    second = import_into(target, bundle_to_json(exported), target_store)
    assert (first.outcome, second.outcome) == ("created", "unchanged")
    assert first.audit_id == second.audit_id == exported.audit.id
    assert snapshot(target) == after_first
    with target.session() as session:
        assert session.scalar(select(func.count()).select_from(Audit)) == 1
        assert session.scalar(select(func.count()).select_from(RectificationItem)) == 4


def test_importing_a_bundle_into_the_database_it_came_from_changes_nothing(
    source: Database, exported: AuditBundle
) -> None:
    before = snapshot(source)
    assert import_into(source, exported).outcome == "unchanged"
    assert snapshot(source) == before


def test_a_newer_bundle_of_the_same_audit_updates_the_local_copy(
    source: Database, target: Database, exported: AuditBundle
) -> None:
    import_into(target, exported)
    with source.session() as session:
        item = session.get_one(RectificationItem, exported.rectification_items[0].id)
        item.status = ItemStatus.SUBMITTED
        item.submitted_note = "已补签合同"
        item.submitted_at = dt.datetime(2026, 11, 3, tzinfo=dt.UTC)
        item.version += 1
        answer = session.scalars(select(Answer).where(Answer.item_id == "WAGE-03")).one()
        session.delete(answer)
    newer = export_from(source, exported.audit.id)
    result = import_into(target, bundle_to_json(newer))
    assert result.outcome == "updated"
    assert export_from(target, exported.audit.id) == newer


def test_an_older_bundle_does_not_overwrite_newer_local_work(
    source: Database, target: Database, exported: AuditBundle
) -> None:
    import_into(target, exported)
    with target.session() as session:
        item = session.get_one(RectificationItem, exported.rectification_items[0].id)
        item.status = ItemStatus.SUBMITTED
        item.version += 1
    error = rejected(target, exported)
    assert error.path == "$.rectification_items[0].version"
    assert "本机" in str(error)


def test_a_signed_notice_may_become_voided_but_never_change_its_text(
    source: Database, target: Database, exported: AuditBundle
) -> None:
    voided = next(i for i, n in enumerate(exported.notices) if n.status is NoticeStatus.VOIDED)
    signed = edited(
        exported,
        lambda d: d["notices"][voided].update(status="signed", voided_at=None, void_reason=None),
    )
    import_into(target, signed)
    assert import_into(target, exported).outcome == "updated"
    with target.session() as session:
        assert session.get_one(Notice, exported.notices[voided].id).status is NoticeStatus.VOIDED

    def rewrite(document: dict[str, Any]) -> None:
        document["audit"]["version"] += 1
        document["notices"][voided]["content"] = {"number": "x", "problems": []}

    error = rejected(target, edited(exported, rewrite))
    assert error.path == f"$.notices[{voided}]"
    assert "已签署" in str(error)


def test_an_enterprise_already_registered_is_matched_by_its_code_and_keeps_its_registry_fields(
    target: Database, exported: AuditBundle
) -> None:
    with target.session() as session:
        local = add_enterprise(session, uscc=exported.enterprise.uscc, name="恒达机械（本机登记名）")
        local_id = local.id
    result = import_into(target, exported)
    assert result.enterprise_id == local_id != exported.enterprise.id
    with target.session() as session:
        assert session.scalar(select(func.count()).select_from(Enterprise)) == 1
        assert session.get_one(Enterprise, local_id).name == "恒达机械（本机登记名）"
        assert session.get_one(Audit, exported.audit.id).enterprise_id == local_id
        assert {item.enterprise_id for item in session.scalars(select(RectificationItem))} == {local_id}
        assert session.get_one(Audit, exported.audit.id).enterprise_facts == exported.audit.enterprise_facts


def test_an_imported_enterprise_gets_pinyin_initials_and_a_fresh_risk_grade(
    target: Database, exported: AuditBundle
) -> None:
    import_into(target, exported)
    with target.session() as session:
        enterprise = session.get_one(Enterprise, exported.enterprise.id)
        assert enterprise.name_initials
        assert enterprise.risk_grade == "高"  # an open 高 item past its deadline on 2026-11-25


def test_a_coordinator_first_known_from_a_bundle_is_recorded_inactive(target: Database, exported: AuditBundle) -> None:
    import_into(target, exported)
    with target.session() as session:
        coordinators = session.scalars(select(Coordinator)).all()
        assert {c.name for c in coordinators} == {"张三", "孙七"}
        assert not any(c.is_active for c in coordinators)


def test_a_follow_up_by_the_audits_own_coordinator_imports_once(target: Database, exported: AuditBundle) -> None:
    data = edited(exported, lambda d: d["follow_ups"][0].update(coordinator=d["coordinator"]))
    import_into(target, data)
    with target.session() as session:
        assert session.scalars(select(Coordinator.name)).all() == ["张三"]
        assert session.scalars(select(FollowUp.coordinator_id)).all() == [exported.coordinator.id]


def test_a_template_version_already_here_is_reused(target: Database, exported: AuditBundle) -> None:
    with target.session() as session:
        existing = add_template(session, "CONTRACT", 2).id
    import_into(target, exported)
    with target.session() as session:
        assert session.scalar(select(func.count()).select_from(Template)) == 2
        module = session.scalars(select(AuditModule).where(AuditModule.module == "CONTRACT")).one()
        assert module.template_id == existing


# --- refusals ----------------------------------------------------------------------------------------------------


def test_a_template_with_the_same_version_but_other_content_is_refused(target: Database, exported: AuditBundle) -> None:
    with target.session() as session:
        add_template(session, "CONTRACT", 2, content={"module": {"module": "CONTRACT", "items": []}, "changed": True})
    error = rejected(target, exported)
    assert error.path == "$.audit.modules[0].template.content_hash"
    assert "CONTRACT 第 2 版" in str(error)


def test_a_template_whose_content_does_not_match_its_hash_is_refused(target: Database, exported: AuditBundle) -> None:
    data = edited(exported, lambda d: d["audit"]["modules"][1]["template"]["content"].update(title="篡改"))
    assert rejected(target, data).path == "$.audit.modules[1].template.content_hash"


def test_an_item_whose_finding_is_missing_is_refused_naming_the_json_path(
    target: Database, exported: AuditBundle
) -> None:
    data = edited(exported, lambda d: d["rectification_items"][1].update(finding_id="no-such-finding"))
    error = rejected(target, data)
    assert error.path == "$.rectification_items[1].finding_id"
    assert "$.rectification_items[1].finding_id" in str(error)


def test_an_answer_of_another_audit_is_refused(target: Database, exported: AuditBundle) -> None:
    data = edited(exported, lambda d: d["answers"][2].update(audit_id="another-audit"))
    assert rejected(target, data).path == "$.answers[2].audit_id"


def test_an_attachment_whose_blob_is_not_listed_is_refused(target: Database, exported: AuditBundle) -> None:
    data = edited(exported, lambda d: d["attachments"][0].update(sha256="f" * 64))
    assert rejected(target, data).path == "$.attachments[0].sha256"


def test_a_wage_check_travels_with_its_evidence_table_and_raw_sheet_and_reads_back(
    target: Database, exported: AuditBundle, source_store: BlobStore, target_store: BlobStore
) -> None:
    copy_blobs(exported, source_store, target_store)
    import_into(target, bundle_to_json(exported), target_store)
    with target.session() as session:
        check = session.scalars(select(WageCheck)).one()
        assert check.exclusions["no:A002"]["reason"] == "另行核查"
        evidence = load_evidence(target_store, check)
    assert [worker.name for worker in evidence.workers] == ["张三", "王五"]
    assert evidence.violations[0].shortfall == 330
    assert evidence.unchecked[0].figure == 8


def test_a_wage_check_whose_evidence_or_sheet_is_not_in_the_bundle_is_refused(
    target: Database, exported: AuditBundle
) -> None:
    evidence = exported.wage_checks[0].evidence_sha256
    data = edited(exported, lambda d: d.update(blobs=[b for b in d["blobs"] if b["sha256"] != evidence]))
    assert rejected(target, data).path == "$.wage_checks[0].evidence_sha256"
    data = edited(exported, lambda d: d.update(attachments=[a for a in d["attachments"] if a["kind"] != "sheet"]))
    assert rejected(target, data).path == "$.wage_checks[0].sources[0].attachment_id"


def test_a_version_2_bundle_without_wage_checks_still_imports(target: Database, exported: AuditBundle) -> None:
    def older(document: dict[str, Any]) -> None:
        document.update(format_version=2)
        del document["wage_checks"]
        document["attachments"] = [a for a in document["attachments"] if a["kind"] != "sheet"]

    assert import_into(target, edited(exported, older)).outcome == "created"


def test_a_blob_missing_from_the_given_store_is_refused(
    target: Database, exported: AuditBundle, target_store: BlobStore
) -> None:
    error = rejected(target, exported, target_store)
    assert error.path == "$.blobs[0]"
    assert "不在文件库中" in str(error)


def test_a_notice_superseding_an_unknown_notice_is_refused(target: Database, exported: AuditBundle) -> None:
    draft = next(i for i, n in enumerate(exported.notices) if n.status is NoticeStatus.DRAFT)
    data = edited(exported, lambda d: d["notices"][draft].update(supersedes_id="gone"))
    assert rejected(target, data).path == f"$.notices[{draft}].supersedes_id"


def test_a_follow_up_no_item_refers_to_is_refused(target: Database, exported: AuditBundle) -> None:
    def orphan(document: dict[str, Any]) -> None:
        for item in document["rectification_items"]:
            item.update(follow_up_id=None)

    assert rejected(target, edited(exported, orphan)).path == "$.follow_ups[0]"


def test_a_missing_field_is_refused_naming_it(target: Database, exported: AuditBundle) -> None:
    data = edited(exported, lambda d: d["findings"][3].pop("severity"))
    error = rejected(target, data)
    assert error.path == "$.findings[3].severity"
    assert "缺少必填字段" in str(error)


def test_a_timestamp_without_offset_is_refused(target: Database, exported: AuditBundle) -> None:
    data = edited(exported, lambda d: d["audit"].update(created_at="2026-10-15T09:00:00"))
    error = rejected(target, data)
    assert error.path == "$.audit.created_at"
    assert "时区" in str(error)


def test_an_unknown_field_is_refused(target: Database, exported: AuditBundle) -> None:
    data = edited(exported, lambda d: d["answers"][0].update(colour="red"))
    assert rejected(target, data).path == "$.answers[0].colour"


def test_a_bundle_from_a_newer_format_version_asks_to_upgrade(target: Database, exported: AuditBundle) -> None:
    error = rejected(target, edited(exported, lambda d: d.update(format_version=4)))
    assert error.path == "$.format_version"
    assert "升级" in str(error)


@pytest.mark.parametrize(
    ("data", "path"),
    [(b"{not json", "$"), (b"\xff\xfe", "$"), (b"[]", "$.format"), ('{"format": "something-else"}', "$.format")],
)
def test_what_is_not_a_bundle_is_refused(target: Database, data: bytes | str, path: str) -> None:
    assert rejected(target, data).path == path


def test_an_invalid_enterprise_code_is_refused(target: Database, exported: AuditBundle) -> None:
    data = edited(exported, lambda d: d["enterprise"].update(uscc="91510100MA6C000010"))
    error = rejected(target, data)
    assert error.path == "$.enterprise.uscc"


# --- all or nothing ----------------------------------------------------------------------------------------------


def test_a_failure_while_writing_rolls_back_the_import_but_keeps_the_callers_earlier_work(
    target: Database, exported: AuditBundle, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("power cut")

    monkeypatch.setattr(bundle_module, "refresh_grade", explode)
    with target.session() as session:
        session.add(Campaign(name="调用方自己的记录"))
        with pytest.raises(RuntimeError, match="power cut"):
            import_bundle(session, exported, blob_store=None)
    with target.session() as session:
        assert session.scalars(select(Campaign.name)).all() == ["调用方自己的记录"]
        for model in (Audit, Finding, RectificationItem, Notice, Blob, Attachment, FollowUp, Template, Enterprise):
            assert session.scalar(select(func.count()).select_from(model)) == 0, model.__name__


def test_the_caller_decides_the_commit_even_on_a_fresh_session(target: Database, exported: AuditBundle) -> None:
    session = target.sessions()
    import_bundle(session, exported, blob_store=None)
    session.rollback()
    session.close()
    with target.session() as check:
        assert check.scalar(select(func.count()).select_from(Audit)) == 0


def test_a_notice_number_already_used_here_by_another_notice_is_refused(
    target: Database, exported: AuditBundle
) -> None:
    with target.session() as session:
        other = add_audit(session, enterprise=add_enterprise(session), coordinator=add_coordinator(session))
        session.add(
            Notice(
                audit_id=other.id,
                number=exported.notices[1].number,
                year=2026,
                sequence=99,
                device_code="A3",
                issued_on=dt.date(2026, 10, 1),
                content={},
            )
        )
    error = rejected(target, exported)
    assert error.path == "$.notices[1].number"
    assert "文号" in str(error)


# --- the format's documentation ---------------------------------------------------------------------------------


def test_timestamps_are_iso_8601_utc_with_offset(exported: AuditBundle) -> None:
    document = json.loads(bundle_to_json(exported))
    assert document["exported_at"] == "2026-11-25T08:00:00+00:00"
    assert document["audit"]["finished_at"] == "2026-10-15T09:30:00+00:00"
    assert document["audit"]["visit_date"] == "2026-10-15"
    assert document["format"] == "laborcheck.audit-bundle"
    assert document["format_version"] == 3


def test_a_timestamp_with_another_offset_is_stored_as_the_same_instant_in_utc(exported: AuditBundle) -> None:
    data = edited(exported, lambda d: d["audit"].update(finished_at="2026-10-15T17:30:00+08:00"))
    assert parse_bundle(data).audit.finished_at == dt.datetime(2026, 10, 15, 9, 30, tzinfo=dt.UTC)


def test_the_committed_json_schema_is_up_to_date(tmp_path: Path) -> None:
    write_json_schema(tmp_path / "schema.json")
    assert (tmp_path / "schema.json").read_text(encoding="utf-8") == json_schema_text()
    assert SCHEMA_FILE.read_text(encoding="utf-8") == json_schema_text(), (
        "regenerate: python -c 'from pathlib import Path; from app.audit.bundle import write_json_schema; "
        'write_json_schema(Path("docs/audit-bundle.schema.json"))\''
    )


NOT_EXPORTED: dict[type[Base], set[str]] = {
    Coordinator: {"is_active", "created_at"},
    Enterprise: {"name_initials", "risk_grade", "risk_reasons", "version", "created_at", "updated_at"},
    Campaign: {"created_at"},
    Template: {"id", "created_at"},
    AuditModule: {"audit_id", "template_id"},
    Audit: {"enterprise_id", "campaign_id", "coordinator_id"},
    FollowUp: {"enterprise_id", "coordinator_id"},
    RectificationItem: {"enterprise_id"},
    Blob: {"created_at"},
}
"""Columns deliberately left out of the bundle: local bookkeeping, or given by the record's place in the bundle."""

RECORDS: list[tuple[type[Base], type[Any], set[str]]] = [
    (Coordinator, BundleCoordinator, set()),
    (Enterprise, BundleEnterprise, set()),
    (Campaign, BundleCampaign, set()),
    (Template, BundleTemplate, set()),
    (AuditModule, BundleModule, {"template"}),
    (Audit, BundleAudit, {"modules"}),
    (Answer, BundleAnswer, set()),
    (Finding, BundleFinding, set()),
    (RectificationItem, BundleRectificationItem, set()),
    (FollowUp, BundleFollowUp, {"coordinator"}),
    (Notice, BundleNotice, set()),
    (Attachment, BundleAttachment, set()),
    (Blob, BundleBlob, set()),
    (ChangeHistory, BundleChangeHistory, set()),
    (WageCheck, BundleWageCheck, set()),
]


@pytest.mark.parametrize(("model", "record", "nested"), RECORDS, ids=[m.__name__ for m, _, _ in RECORDS])
def test_every_database_column_is_in_the_bundle_or_deliberately_left_out(
    model: type[Base], record: type[Any], nested: set[str]
) -> None:
    columns = {attribute.key for attribute in inspect(model).column_attrs}
    fields = set(record.model_fields) - nested
    assert columns - NOT_EXPORTED.get(model, set()) == fields


def test_bundle_rejected_is_a_labor_check_error_with_a_chinese_message() -> None:
    error = BundleRejected("$.answers[0]", "缺少必填字段")
    assert isinstance(error, LaborCheckError)
    assert str(error).startswith("导入文件有误，未导入任何数据。")


def test_an_answer_to_an_item_the_template_does_not_have_is_refused(target: Database, exported: AuditBundle) -> None:
    def rename(document: dict[str, Any]) -> None:
        document["answers"][0]["item_id"] = f"{document['answers'][0]['module']}-99"

    error = rejected(target, edited(exported, rename))
    assert error.path == "$.answers[0].item_id"
    assert "-99 不在本次体检所用的检查表" in str(error)
