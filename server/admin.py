"""Administration services behind ``laborcheck-server``: districts, users, devices, registry, templates, campaigns.

Template snapshots: ``template publish PATH`` takes a JSON file, or a directory of ``*.json`` files, each one
module snapshot exactly as the app stores it (``{"format", "module": {"module", "version", "title", …},
"laws", "inputs", "derived"}``; ``laborcheck export-templates DIR`` writes them). The content hash is the SHA-256
of the canonical JSON (sorted keys, no spaces, UTF-8), the same the app computes, so an audit's pinned version
is recognisable on every side. A snapshot is checked exactly as ``laborcheck check-templates`` and every laptop
check it (``core.template_check``: schema, expression syntax and names, law references, duplicate ids) before
anything is published; a version number is bound to one content — publishing a version with other content than
the one published, or than the one shipped with the app (``core.packaged_templates``), is refused.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import uuid6
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.sync.protocol import Role
from core.publications import (
    HOLIDAY_CALENDAR,
    PUBLICATION_ENTITY,
    Publication,
    PublicationInvalid,
    documents_from_file,
    kind_label,
    validate_publication,
)
from core.template_check import check_snapshot, content_hash, version_conflict
from server.feed import put_record
from server.merge import with_initials
from server.models import City, Device, District, Record, RecordHistory, User, utcnow
from server.policy import CITY_ROLE
from server.security import hash_password

ADMIN_WRITER = "admin"

ENTERPRISE_COLUMNS = {
    "uscc": ("uscc", "统一社会信用代码", "信用代码"),
    "name": ("name", "企业名称", "名称"),
    "industry": ("industry", "行业"),
    "address": ("address", "地址", "住所"),
    "contact_name": ("contact_name", "联系人"),
    "contact_phone": ("contact_phone", "联系电话", "电话"),
    "headcount": ("headcount", "职工人数", "用工人数"),
}


class AdminError(Exception):
    """A refused administration step, with a message for the operator."""


def new_id() -> str:
    return str(uuid6.uuid7())


def get_district(session: Session, name: str) -> District:
    district = session.scalars(select(District).where(District.name == name)).one_or_none()
    if district is None:
        raise AdminError(f"区县不存在：{name}")
    return district


def add_district(session: Session, name: str) -> District:
    existing = session.scalars(select(District).where(District.name == name)).one_or_none()
    if existing is not None:
        return existing
    district = District(name=name)
    session.add(district)
    session.flush()
    return district


def add_city(session: Session, name: str, districts: Iterable[str] = ()) -> City:
    """A city and the districts that report to it (区县 → 市): its users see those districts side by side."""
    city = session.scalars(select(City).where(City.name == name)).one_or_none()
    if city is None:
        city = City(name=name)
        session.add(city)
        session.flush()
    for district in districts:
        get_district(session, district).city_id = city.id
    session.flush()
    return city


def add_city_user(session: Session, *, username: str, password: str, city: str, display_name: str = "") -> User:
    """A city's user: reads its districts' pages and the city report in the console; never syncs a laptop."""
    if session.scalars(select(User).where(User.username == username)).one_or_none() is not None:
        raise AdminError(f"用户已存在：{username}")
    if len(password) < 8:
        raise AdminError("密码至少 8 位")
    found = session.scalars(select(City).where(City.name == city)).one_or_none()
    if found is None:
        raise AdminError(f"城市不存在：{city}")
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=hash_password(password),
        role=CITY_ROLE,
        district_id=None,
        city_id=found.id,
    )
    session.add(user)
    session.flush()
    return user


MIN_RETENTION_DAYS = 30
"""Shorter than a month would empty laptops between a visit and its follow-up paperwork."""


def set_retention(session: Session, name: str, days: int | None) -> District:
    """The office's retention period for synced, closed audits on its laptops; None keeps everything."""
    if days is not None and days < MIN_RETENTION_DAYS:
        raise AdminError(f"保留期限至少 {MIN_RETENTION_DAYS} 天（设为 off 表示不清理）")
    district = get_district(session, name)
    district.retention_days = days
    session.flush()
    return district


def add_user(
    session: Session, *, username: str, password: str, role: Role, district: str, display_name: str = ""
) -> User:
    if session.scalars(select(User).where(User.username == username)).one_or_none() is not None:
        raise AdminError(f"用户已存在：{username}")
    if len(password) < 8:
        raise AdminError("密码至少 8 位")
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=hash_password(password),
        role=role.value,
        district_id=get_district(session, district).id,
    )
    session.add(user)
    session.flush()
    return user


def set_user_disabled(session: Session, username: str, disabled: bool = True) -> User:
    user = session.scalars(select(User).where(User.username == username)).one_or_none()
    if user is None:
        raise AdminError(f"用户不存在：{username}")
    user.disabled = disabled
    return user


def revoke_device(session: Session, device_id: str) -> Device:
    device = session.get(Device, device_id)
    if device is None:
        raise AdminError(f"设备不存在：{device_id}")
    device.revoked_at = device.revoked_at or utcnow()
    return device


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_rows(path: Path) -> Iterator[dict[str, str]]:
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [_cell(value) for value in next(rows, ())]
        for row in rows:
            yield {header[i]: _cell(value) for i, value in enumerate(row) if i < len(header)}
        book.close()
        return
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise AdminError("无法识别文件编码（应为 UTF-8 或 GBK）")
    yield from csv.DictReader(io.StringIO(text))


def _normalise(row: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field, names in ENTERPRISE_COLUMNS.items():
        for name in names:
            if name in row and row[name] != "":
                out[field] = row[name]
                break
    if "headcount" in out:
        try:
            out["headcount"] = int(out["headcount"])
        except ValueError:
            raise AdminError(f"职工人数不是整数：{out['headcount']}") from None
    return out


def import_enterprises(session: Session, district: str, path: Path) -> tuple[int, int]:
    """Add or update enterprises from a csv/xlsx registry export; returns (added, updated)."""
    district_row = get_district(session, district)
    added = updated = 0
    now = utcnow().isoformat()
    for line, row in enumerate(_read_rows(path), start=2):
        fields = _normalise(row)
        if not fields.get("uscc") or not fields.get("name"):
            raise AdminError(f"第 {line} 行缺少统一社会信用代码或企业名称")
        uscc = str(fields["uscc"]).upper()
        existing = session.scalars(
            select(Record).where(Record.entity == "enterprise", Record.natural_key == uscc)
        ).one_or_none()
        base = {
            "industry": "",
            "address": "",
            "contact_name": "",
            "contact_phone": "",
            "headcount": None,
            "headcount_last_year_end": None,
            "is_key": False,
        }
        if existing is not None:
            if existing.data is not None and all(existing.data.get(k) == v for k, v in fields.items()):
                continue
            data = {**(existing.data or {}), **fields, "uscc": uscc}
            entity_id = existing.entity_id
            updated += 1
        else:
            entity_id = new_id()
            data = {**base, **fields, "id": entity_id, "uscc": uscc, "district": district, "created_at": now}
            added += 1
        data = with_initials(data)
        record = put_record(
            session,
            entity="enterprise",
            entity_id=entity_id,
            data=data,
            writer=ADMIN_WRITER,
            district_id=district_row.id,
            natural_key=uscc,
        )
        session.merge(RecordHistory(entity="enterprise", entity_id=entity_id, version=record.version, data=data))
    return added, updated


def _snapshot_files(path: Path) -> Iterable[Path]:
    if path.is_dir():
        files = sorted(path.glob("*.json"))
        if not files:
            raise AdminError(f"目录中没有模板快照（*.json）：{path}")
        return files
    if not path.is_file():
        raise AdminError(f"找不到模板快照：{path}")
    return [path]


def snapshot_problems(data: bytes, source: str) -> tuple[dict[str, Any] | None, list[str]]:
    """The snapshot in ``data`` (a file named ``source``) and its problems: the checks ``laborcheck
    check-templates`` and every laptop make (``core.template_check``), and a version number bound to one content."""
    try:
        snapshot = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        return None, [f"{source}：不是 UTF-8 文本"]
    except json.JSONDecodeError as error:
        return None, [f"{source}：第 {error.lineno} 行不是有效的 JSON（{error.msg}）"]
    problems = check_snapshot(snapshot)
    if problems:
        return None, [f"{source}：{problem.where}：{problem.message}" for problem in problems]
    module = snapshot["module"]
    conflict = version_conflict(module["module"], module["version"], content_hash(snapshot))
    return (None, [f"{source}：{conflict}"]) if conflict else (snapshot, [])


def publish_snapshots(session: Session, files: Iterable[tuple[str, bytes]]) -> list[str]:
    """Publish template snapshots given as (file name, content); returns ``module vN`` for each new version.

    The one way a template is published, from the command line (:func:`publish_templates`) or the office
    console's upload. All files are checked first, with the checks every laptop makes before it uses a template;
    one problem in any file publishes nothing, and every problem is listed with its file, item and reason.
    """
    snapshots: list[tuple[str, dict[str, Any]]] = []
    problems: list[str] = []
    for source, data in files:
        snapshot, found = snapshot_problems(data, source)
        problems.extend(found)
        if snapshot is not None:
            snapshots.append((source, snapshot))
    if problems:
        raise AdminError("模板快照未通过检查，未发布任何版本：\n" + "\n".join(problems))
    published = []
    for source, snapshot in snapshots:
        module = snapshot["module"]
        key = f"{module['module']}:{module['version']}"
        digest = content_hash(snapshot)
        existing = session.scalars(
            select(Record).where(Record.entity == "template", Record.natural_key == key)
        ).one_or_none()
        if existing is not None:
            if (existing.data or {}).get("content_hash") != digest:
                raise AdminError(
                    f"{source}：检查表 {module['module']} 第 {module['version']} 版已发布且内容不同：请提高版本号"
                )
            continue
        entity_id = new_id()
        put_record(
            session,
            entity="template",
            entity_id=entity_id,
            data={
                "id": entity_id,
                "module": module["module"],
                "version": module["version"],
                "title": module["title"],
                "content_hash": digest,
                "content": snapshot,
            },
            writer=ADMIN_WRITER,
            district_id=None,
            natural_key=key,
        )
        published.append(f"{module['module']} v{module['version']}")
    return published


def publish_templates(session: Session, path: Path) -> list[str]:
    """Publish the template snapshots in ``path`` (a file or a directory; see the module docstring)."""
    return publish_snapshots(session, ((file.name, file.read_bytes()) for file in _snapshot_files(path)))


def publish_calendar(
    session: Session, year: int, holidays: Iterable[dt.date], workdays: Iterable[dt.date], *, published_by: str = ""
) -> Record:
    """Publish a year's holiday schedule for every district's laptops (SYNC.md, "Holiday calendars"): an office
    publication of kind ``holiday_calendar`` (:mod:`core.publications`), checked with the schema the laptops use
    again on receipt; a second publication of a year becomes the year's next version."""
    raw = {
        "year": year,
        "holidays": [day.isoformat() for day in holidays],
        "workdays": [day.isoformat() for day in workdays],
        "published_by": published_by[:100],
    }
    try:
        document = validate_publication(HOLIDAY_CALENDAR, raw)
    except PublicationInvalid as error:
        raise AdminError(str(error)) from None
    return _publish_document(session, HOLIDAY_CALENDAR, document, None)


def add_campaign(
    session: Session,
    *,
    district: str,
    name: str,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    report_due_on: dt.date | None = None,
) -> Record:
    district_row = get_district(session, district)
    entity_id = new_id()
    return put_record(
        session,
        entity="campaign",
        entity_id=entity_id,
        data={
            "id": entity_id,
            "name": name,
            "district": district,
            "starts_on": starts_on.isoformat() if starts_on else None,
            "ends_on": ends_on.isoformat() if ends_on else None,
            "report_due_on": report_due_on.isoformat() if report_due_on else None,
        },
        writer=ADMIN_WRITER,
        district_id=district_row.id,
    )


def publish_documents(session: Session, kind: str, path: Path, district: str | None = None) -> list[str]:
    """Publish the office documents of ``kind`` in a file (``laborcheck-server publish KIND FILE``).

    Each document is validated with the schema the laptops use again on receipt (:mod:`core.publications`);
    one invalid document refuses the whole file. A document whose content is unchanged is not published
    again; a changed one becomes the next version of its ``(kind, district, key)``. Without ``district`` the
    document reaches every district. Returns ``标签 key（第N版）`` for each new version.
    """
    if not path.is_file():
        raise AdminError(f"找不到文件：{path}")
    district_id = get_district(session, district).id if district else None
    try:
        documents = [validate_publication(kind, raw) for raw in documents_from_file(kind, path.name, path.read_bytes())]
    except PublicationInvalid as error:
        raise AdminError(str(error)) from None
    published = []
    for document in documents:
        existing = _published(session, kind, document.key, district_id)
        if existing is not None and not existing.deleted and _hash_of(existing) == document.content_hash:
            continue
        record = _publish_document(session, kind, document, district_id)
        published.append(f"{kind_label(kind)} {document.key}（第{record.version}版）")
    return published


def _natural_key(kind: str, key: str, district_id: int | None) -> str:
    return f"{kind}:{district_id or '*'}:{key}"


def _published(session: Session, kind: str, key: str, district_id: int | None) -> Record | None:
    natural_key = _natural_key(kind, key, district_id)
    return session.scalars(
        select(Record).where(Record.entity == PUBLICATION_ENTITY, Record.natural_key == natural_key)
    ).one_or_none()


def _hash_of(record: Record) -> object:
    return (record.data or {}).get("content_hash")


def _publish_document(session: Session, kind: str, document: Publication, district_id: int | None) -> Record:
    """Store ``document`` as the next version of its ``(kind, district, key)`` (the first, if there is none)."""
    existing = _published(session, kind, document.key, district_id)
    entity_id = existing.entity_id if existing is not None else new_id()
    return put_record(
        session,
        entity=PUBLICATION_ENTITY,
        entity_id=entity_id,
        data={
            "id": entity_id,
            "kind": kind,
            "key": document.key,
            "content": document.content,
            "content_hash": document.content_hash,
            "published_at": utcnow().isoformat(),
        },
        writer=ADMIN_WRITER,
        district_id=district_id,
        natural_key=_natural_key(kind, document.key, district_id),
    )
