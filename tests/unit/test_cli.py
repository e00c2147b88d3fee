"""The command line: one code path with the services, one clear line on error, never a traceback."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from stdnum.cn import uscc as stdnum_uscc

from app.audit.uscc import make_uscc
from app.checklists.loader import default_template_dir
from app.cli import main
from app.models import Audit, AuditStatus, Enterprise, Finding, ItemStatus, Notice, NoticeStatus, RectificationItem
from app.services.workspace import workspace


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo")
    assert main(["demo", "--data-dir", str(path)]) == 0
    return path


def test_demo_seeds_a_realistic_district(demo_dir: Path) -> None:
    today = dt.date.today()
    with workspace(demo_dir) as ws, ws.db.session() as session:
        codes = session.scalars(select(Enterprise.uscc)).all()
        industries = set(session.scalars(select(Enterprise.industry)).all())
        finished = session.scalar(select(func.count()).select_from(Audit).where(Audit.status == AuditStatus.FINISHED))
        findings = session.scalar(select(func.count()).select_from(Finding))
        verified = session.scalar(
            select(func.count()).select_from(RectificationItem).where(RectificationItem.status == ItemStatus.VERIFIED)
        )
        overdue = session.scalar(
            select(func.count())
            .select_from(RectificationItem)
            .where(RectificationItem.status != ItemStatus.VERIFIED, RectificationItem.deadline < today)
        )
        signed = session.scalar(select(func.count()).select_from(Notice).where(Notice.status == NoticeStatus.SIGNED))
    assert len(codes) >= 200
    assert all(stdnum_uscc.is_valid(code) for code in codes)
    assert len(industries) >= 6
    assert (finished or 0) >= 30
    assert (findings or 0) > 0
    assert (verified or 0) > 0
    assert (overdue or 0) > 0
    assert (signed or 0) > 0


def test_demo_twice_changes_nothing(demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--data-dir", str(demo_dir)]) == 0
    assert "已存在" in capsys.readouterr().out
    with workspace(demo_dir) as ws, ws.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Audit)) == 36


def test_check_templates_passes_the_shipped_templates(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-templates"]) == 0
    assert "无误" in capsys.readouterr().out


def test_check_templates_names_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "templates"
    shutil.copytree(default_template_dir(), broken)
    path = broken / "wage.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if "severity:" in line)
    lines[index] = lines[index].replace("severity:", "severty:")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["check-templates", str(broken)]) == 1
    out = capsys.readouterr().out
    assert f"wage.yaml:{index + 1}:" in out
    assert "severty" in out


def test_user_errors_are_one_line_without_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["enterprise", "check-code", "91511703MA62XXXX08"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "校验位" in err
    assert "Traceback" not in err


def test_missing_file_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["enterprise", "import", str(tmp_path / "nope.xlsx"), "--data-dir", str(tmp_path / "d")]) == 1
    assert "文件不存在" in capsys.readouterr().err


def test_search_finds_demo_enterprises_by_fragment(demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with workspace(demo_dir) as ws, ws.db.session() as session:
        name = session.scalars(select(Enterprise.name).order_by(Enterprise.name)).first()
    assert name is not None
    assert main(["enterprise", "search", name[2:4], "--data-dir", str(demo_dir)]) == 0
    assert name in capsys.readouterr().out


def test_ledger_and_bundle_round_trip_through_the_cli(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ledger", "-o", str(tmp_path / "ledger.csv"), "--data-dir", str(demo_dir)]) == 0
    text = (tmp_path / "ledger.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("序号")
    with workspace(demo_dir) as ws, ws.db.session() as session:
        audit_id = session.scalars(select(Audit.id).order_by(Audit.id)).first()
    assert audit_id is not None
    bundle = tmp_path / "audit.json"
    blobs = tmp_path / "blobs"
    args = ["audit", "export", audit_id, "-o", str(bundle), "--blobs", str(blobs), "--data-dir", str(demo_dir)]
    assert main(args) == 0
    other = tmp_path / "other"
    assert main(["audit", "import", str(bundle), "--blobs", str(blobs), "--data-dir", str(other)]) == 0
    assert main(["audit", "import", str(bundle), "--blobs", str(blobs), "--data-dir", str(other)]) == 0
    assert "无需导入" in capsys.readouterr().out
    with workspace(other) as ws, ws.db.session() as session:
        assert session.get(Audit, audit_id) is not None


def test_profile_set_and_show(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = ["--data-dir", str(tmp_path)]
    assert main(["profile", "show", *data]) == 1
    assert (
        main(["profile", "set", "--name", "张华", "--device-code", "b7", "--notice-prefix", "通川人社体检", *data]) == 0
    )
    assert main(["profile", "show", *data]) == 0
    out = capsys.readouterr().out
    assert "张华" in out
    assert "B7" in out
    assert main(["profile", "set", "--device-code", "太长的编号", *data]) == 1


def test_data_dir_is_honoured_before_and_after_the_subcommand(tmp_path: Path) -> None:
    before, after = tmp_path / "before", tmp_path / "after"
    assert main(["--data-dir", str(before), "profile", "set", "--name", "甲", "--device-code", "A1"]) == 0
    assert main(["profile", "set", "--name", "乙", "--device-code", "A2", "--data-dir", str(after)]) == 0
    assert (before / "laborcheck.db").is_file()
    assert (after / "laborcheck.db").is_file()


def test_audit_import_refuses_an_item_not_in_the_template_and_copies_no_file(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with workspace(demo_dir) as ws, ws.db.session() as session:
        audit_id = session.scalars(select(Audit.id).order_by(Audit.id)).first()
    assert audit_id is not None
    bundle, blobs = tmp_path / "audit.json", tmp_path / "blobs"
    args = ["audit", "export", audit_id, "-o", str(bundle), "--blobs", str(blobs), "--data-dir", str(demo_dir)]
    assert main(args) == 0
    data = json.loads(bundle.read_text(encoding="utf-8"))
    answer = next(a for a in data["answers"] if a["module"] == "CONTRACT")
    answer["item_id"] = "CONTRACT-99"
    bundle.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    other = tmp_path / "other"
    capsys.readouterr()

    assert main(["audit", "import", str(bundle), "--blobs", str(blobs), "--data-dir", str(other)]) == 1
    error = capsys.readouterr().err
    assert "CONTRACT-99" in error
    assert "不在本次体检所用的检查表" in error
    assert [path for path in (other / "blobs").rglob("*") if path.is_file()] == []  # validated before copying
    with workspace(other) as ws, ws.db.session() as session:
        assert session.get(Audit, audit_id) is None


# ---------------------------------------------------------------------------------------- a read-only or full disk


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 4 MB filesystem (tmpfs), so the disk can be made read-only or full; skipped where mounting is not
    allowed (it needs root, as on the CI machine and this one)."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount_point)], capture_output=True, check=False
    )
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.decode(errors='replace').strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True, check=False)


def _one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    return lines[0]


def test_a_read_only_disk_is_one_clear_line_and_a_non_zero_exit(
    small_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = small_disk / "data"
    assert main(["profile", "set", "--name", "李明", "--device-code", "A3", "--data-dir", str(data)]) == 0
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    capsys.readouterr()

    add = ["enterprise", "add", "--uscc", make_uscc("91511703MA62XXXX0"), "--name", "恒达机械"]
    assert main([*add, "--data-dir", str(data)]) == 1
    assert "只读" in _one_line_error(capsys)
    assert main(["profile", "show", "--data-dir", str(data)]) == 1
    assert "只读" in _one_line_error(capsys)


def test_a_full_disk_is_one_clear_line_and_a_non_zero_exit(
    small_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = small_disk / "data"
    assert main(["profile", "set", "--name", "李明", "--device-code", "A3", "--data-dir", str(data)]) == 0
    filler = small_disk / "filler"
    with filler.open("wb") as stream, contextlib.suppress(OSError):  # take every free byte of the disk
        while True:
            stream.write(b"\0" * 65536)
            stream.flush()
    capsys.readouterr()

    add = [
        "enterprise",
        "add",
        "--uscc",
        make_uscc("91511703MA62XXXX0"),
        "--name",
        "恒达机械",
        "--address",
        "甲" * 2000,
    ]
    assert main([*add, "--data-dir", str(data)]) == 1
    assert "磁盘空间已满" in _one_line_error(capsys)


def test_logging_falls_back_to_standard_error_where_the_log_file_cannot_be_written(tmp_path: Path) -> None:
    from app.applog import setup_logging

    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the log directory should be")
    logger = logging.getLogger("app")
    before = list(logger.handlers)
    for handler in before:  # an earlier test of this process may have opened a log file already
        logger.removeHandler(handler)
    try:
        assert setup_logging(blocked / "logs") is None
        added = list(logger.handlers)
        assert [type(handler) for handler in added] == [logging.StreamHandler]
        assert added[0].stream is sys.stderr  # type: ignore[attr-defined]
    finally:
        for handler in logger.handlers[:]:
            logger.removeHandler(handler)
        for handler in before:
            logger.addHandler(handler)
