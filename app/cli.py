"""The ``laborcheck`` command line: headless use, scripting and tests share the services the GUI uses.

Every subcommand takes ``--data-dir``. A user error is one clear line on stderr and exit status 1; an unexpected
error is logged with its traceback to the data directory's log and reported as one line naming the log (exit 2).
A traceback is never printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import logging
import os
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import LaborCheckError

if TYPE_CHECKING:
    from core.statistics import CampaignStatistics

# Only what every command needs is imported at the top: `laborcheck gui` shows its window before the rest of
# the application (logging set-up, paths, the database layer) is imported, and each import here delays it.
log = logging.getLogger("app.cli")

Handler = Callable[[argparse.Namespace], int]


def _today() -> dt.date:
    from core.clock import china_today

    return china_today()


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


# ------------------------------------------------------------------------------------------------ subcommands


def cmd_demo(args: argparse.Namespace) -> int:
    from app.services.demo_district import seed_demo
    from app.services.workspace import workspace

    started = time.perf_counter()
    with workspace(args.data_dir) as ws, ws.db.session() as session:
        summary = seed_demo(
            session, ws.blobs, today=_today(), enterprises=args.enterprises, audits=args.audits, seed=args.seed
        )
        root = ws.paths.root
    elapsed = time.perf_counter() - started
    state = "已生成演示数据" if summary.created else "演示数据已存在，未重复生成"
    _out(f"{state}（{elapsed:.1f} 秒）：数据目录 {root}")
    _out(
        f"  企业 {summary.enterprises} 家，体检 {summary.audits} 次，问题 {summary.findings} 个，"
        f"已复查销号 {summary.verified} 项，逾期未整改 {summary.overdue} 项，整改通知书 {summary.notices} 份"
    )
    return 0


def cmd_gui(args: argparse.Namespace) -> int:
    from app.ui.app import run_gui

    return run_gui(args.data_dir, self_test=args.self_test)


def cmd_check_templates(args: argparse.Namespace) -> int:
    from app.checklists.loader import check_templates, default_template_dir

    path = Path(args.path) if args.path else default_template_dir()
    if not path.exists():
        raise LaborCheckError(f"检查表目录或快照文件不存在：{path}")
    issues = check_templates(path)
    for issue in issues:
        _out(str(issue))
    if issues:
        _out(f"{len(issues)} 个错误")
        return 1
    _out(f"检查表无误：{path}")
    return 0


def cmd_profile(args: argparse.Namespace) -> int:
    from app.audit.profile import ProfileInput, active_coordinator, save_profile
    from app.services.workspace import workspace

    with workspace(args.data_dir) as ws, ws.db.session() as session:
        if args.profile_command == "set":
            current = active_coordinator(session)
            coordinator = save_profile(
                session,
                ProfileInput(
                    name=args.name or (current.name if current else ""),
                    device_code=args.device_code or (current.device_code if current else ""),
                    badge_no=args.badge_no if args.badge_no is not None else (current.badge_no if current else ""),
                    organisation=args.organisation or (current.organisation if current else ""),
                    district=args.district or (current.district if current else ""),
                    issuing_body=args.issuing_body or (current.issuing_body if current else ""),
                    notice_prefix=args.notice_prefix or (current.notice_prefix if current else ""),
                ),
            )
        else:
            found = active_coordinator(session)
            if found is None:
                _out("尚未设置协调员信息（laborcheck profile set --name 姓名 --device-code A3 …）")
                return 1
            coordinator = found
        _out(
            f"协调员：{coordinator.name}（证号 {coordinator.badge_no or '—'}），{coordinator.organisation or '—'}，"
            f"{coordinator.district or '—'}；设备编号 {coordinator.device_code}；"
            f"落款 {coordinator.issuing_body or '—'}；文号前缀 {coordinator.notice_prefix or '—'}"
        )
    return 0


def cmd_enterprise(args: argparse.Namespace) -> int:
    from app.audit.enterprise_import import format_report, import_enterprises
    from app.audit.enterprise_search import search_enterprises
    from app.audit.enterprises import EnterpriseInput, create_enterprise
    from app.audit.uscc import validate_uscc
    from app.services.workspace import workspace

    if args.enterprise_command == "check-code":
        _out(f"统一社会信用代码有效：{validate_uscc(args.code)}")
        return 0
    with workspace(args.data_dir) as ws, ws.db.session() as session:
        if args.enterprise_command == "import":
            path = Path(args.file)
            if not path.is_file():
                raise LaborCheckError(f"文件不存在：{path}")
            report = import_enterprises(session, path, accept_partial=args.accept_partial)
            _out(format_report(report))
            return 1 if report.has_errors and not report.applied else 0
        if args.enterprise_command == "add":
            enterprise = create_enterprise(
                session,
                EnterpriseInput(
                    uscc=args.uscc,
                    name=args.name,
                    industry=args.industry or "",
                    address=args.address or "",
                    district=args.district or "",
                    contact_name=args.contact_name or "",
                    contact_phone=args.contact_phone or "",
                    headcount=args.headcount,
                ),
            )
            _out(f"已登记：{enterprise.name}（{enterprise.uscc}）")
            return 0
        results = search_enterprises(session, args.query, limit=args.limit)
        for enterprise in results:
            grade = enterprise.risk_grade or "—"
            _out(f"{enterprise.uscc}  {enterprise.name}  {enterprise.industry or '—'}  风险{grade}")
        if not results:
            _out("没有找到匹配的企业")
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    from app.services import audits
    from app.services.workspace import workspace

    if args.audit_command == "pull-back":
        return _pull_back(args)
    with workspace(args.data_dir) as ws:
        if args.audit_command == "list":
            rows = audits.audit_list(ws)
            for row in rows:
                status = ("已完成" if row.finished else "进行中") + ("（本机已归档）" if row.archived else "")
                _out(f"{row.id}  {row.visit_date}  {status}  {row.enterprise_name}")
            if not rows:
                _out("还没有体检记录")
            return 0
        if args.audit_command == "export":
            blobs = Path(args.blobs) if args.blobs else None
            copied = audits.export_audit_file(ws, args.audit_id, Path(args.output), blobs)
            extra = f"，附件 {copied} 个已复制到 {args.blobs}" if args.blobs else ""
            _out(f"已导出体检记录到 {args.output}{extra}")
            return 0
        blobs = Path(args.blobs) if args.blobs else None
        result = audits.import_audit_file(ws, Path(args.file), blobs, today=_today()).value
        outcome = {"created": "已导入", "updated": "已更新", "unchanged": "内容相同，无需导入"}[result.outcome]
        _out(f"{outcome}：体检记录 {result.audit_id}")
    return 0


def _sync_password(server: str, user: str | None, from_stdin: bool) -> str | None:
    import getpass

    from app.sync import credentials

    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    if user and credentials.load_token(server, user) is None:
        if not credentials.secure_store_available():
            _out(credentials.NO_SECURE_STORE)
        return getpass.getpass("密码：")
    return None


def _pull_back(args: argparse.Namespace) -> int:
    """Fetch an archived audit's answers and photos back from the server."""
    from app.services import sync
    from app.services.workspace import workspace

    with workspace(args.data_dir) as ws:
        password = _sync_password(sync.server_url(ws), args.user, args.password_stdin)
        report = sync.pull_back(ws, args.audit_id, password=password, username=args.user).value
    _out(f"已取回：答案 {report.answers} 条，附件 {report.attachments} 个（下载文件 {report.files_fetched} 个）")
    return 0


def cmd_ledger(args: argparse.Namespace) -> int:
    from app.reports.ledger import LedgerCount, ledger_rows, write_ledger
    from app.services.workspace import workspace

    output = Path(args.output)
    counted = LedgerCount()  # the totals, counted as the rows stream past: a district ledger is never kept
    with workspace(args.data_dir) as ws, ws.db.session() as session:
        rows = ledger_rows(
            session, today=_today(), campaign_id=args.campaign, district=args.district, status=args.status
        )
        count = write_ledger(counted.counted(rows), output)
    totals = counted.totals()
    _out(f"已导出工作台账：{output}（{count} 条整改事项，涉及 {totals.enterprises} 家企业）")
    _out(
        f"  已复查销号 {totals.items.verified} 条；企业已报送整改材料待复查 {totals.items.awaiting_verification} 条；"
        f"超过整改期限仍未销号 {totals.items.overdue} 条"
    )
    return 0


def _write_pdf(output: Path, data: bytes) -> None:
    """Write beside the target and rename: a failed write never leaves half a PDF under the name."""
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(f".{output.name}.part")
    partial.write_bytes(data)
    os.replace(partial, output)


def cmd_notice(args: argparse.Namespace) -> int:
    from app.services.notices import export_notice
    from app.services.workspace import workspace

    output = Path(args.output)
    with workspace(args.data_dir) as ws:
        notice = export_notice(ws, args.audit_id)
    _write_pdf(output, notice.pdf)
    _out(f"已导出整改通知书 {notice.number}（{notice.status_text}）：{output}")
    _font_report(notice.font_report)
    return 0


def _font_report(report: str) -> None:
    """Never silently: a document set in a stand-in face says so, with how to install the real one (stderr)."""
    for line in report.splitlines():
        sys.stderr.write(f"字体提示：{line}\n")


def cmd_fonts(args: argparse.Namespace) -> int:
    """Which face each role of the official documents takes on this machine, and what is missing."""
    from app.models import load_settings
    from app.services.workspace import workspace
    from core.fonts import load_notice_fonts

    with workspace(args.data_dir) as ws, ws.db.session() as session:
        setting = load_settings(session).notice_font
    fonts = load_notice_fonts(setting)
    for role in fonts.roles:
        state = "" if role.proper else "（代用）"
        _out(f"{role.wanted}：{role.font.display}{state}  {role.font.path}")
    report = fonts.report()
    _out(report if report else "通知书所需字体齐全。")
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    from app.audit.profile import active_coordinator
    from app.models import load_settings
    from app.reports.statistics import UnknownCampaign, campaign_statistics
    from app.reports.summary_pdf import render_summary
    from app.services.workspace import workspace
    from core.fonts import load_notice_fonts

    output = Path(args.output)
    today = _today()
    with workspace(args.data_dir) as ws, ws.db.session() as session:
        try:
            stats = campaign_statistics(session, today=today, campaign_id=args.campaign)
        except UnknownCampaign as error:
            raise LaborCheckError(f"找不到专项行动：{args.campaign}") from error
        coordinator = active_coordinator(session)
        issuing_body = (coordinator.issuing_body or coordinator.organisation) if coordinator else ""
        fonts = load_notice_fonts(load_settings(session).notice_font)
        pdf = render_summary(stats, fonts=fonts, issuing_body=issuing_body, issued_on=today)
    _write_pdf(output, pdf)
    _out(f"已导出工作情况报告：{output}")
    _print_figures(stats)
    _font_report(fonts.report())
    return 0


def _print_figures(stats: CampaignStatistics) -> None:
    _out(f"{stats.scope.name}（截至 {stats.today.isoformat()}）")
    for figure in stats.headline():
        _out(f"  {figure.text}")


def cmd_statistics(args: argparse.Namespace) -> int:
    """The campaign's figures on the terminal, each with what it counts (the same as the page and the report)."""
    from app.reports.statistics import UnknownCampaign, campaign_statistics
    from app.services.workspace import workspace

    with workspace(args.data_dir) as ws, ws.db.session() as session:
        try:
            stats = campaign_statistics(session, today=_today(), campaign_id=args.campaign)
        except UnknownCampaign as error:
            raise LaborCheckError(f"找不到专项行动：{args.campaign}") from error
    _print_figures(stats)
    items = stats.items
    _out("  发现问题（按检查项目）：" + ("、".join(f"{m.title}{m.count}个" for m in stats.by_module) or "无"))
    _out(
        f"  整改事项 {items.total} 项：已复查销号 {items.verified}；整改期限内未报送材料 {items.open}，"
        f"已报送待复查 {items.submitted}；已逾期未报送材料 {items.overdue_open}，已报送待复查 {items.overdue_submitted}"
    )
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    """Sync with the district server; ``--server URL --yes`` records the user's consent to that address first."""
    import threading

    from app.models import load_settings
    from app.services import sync
    from app.services.workspace import workspace

    with workspace(args.data_dir) as ws:
        with ws.db.session() as session:
            settings = load_settings(session)
        server = (args.server or settings.server_url).rstrip("/")
        if not server:
            raise LaborCheckError("请用 --server 指定区办服务器地址")
        if args.server and (server != settings.server_url or not settings.server_consent):
            if not args.yes:
                answer = input(f"将本机的体检数据同步到 {server}？输入 y 确认：")
                if answer.strip().lower() not in ("y", "yes", "是"):
                    raise LaborCheckError("未同意同步到该服务器，已取消")
            sync.consent_to(ws, server)
        summary = sync.run_sync(
            ws,
            lambda step: _out(step.message) if args.verbose else None,
            threading.Event(),
            password=_sync_password(server, args.user, args.password_stdin),
            username=args.user,
        ).value
    _out(f"同步完成：发送 {summary.sent} 条，接收 {summary.received} 条，冲突 {summary.conflicts} 条")
    if summary.archived:
        _out(f"按区办设定的保留期限（{summary.retention_days} 天），{summary.archived} 次已同步的体检只在本机保留摘要")
    for error in summary.errors:
        _out(f"未能同步：{error}")
    for message in summary.unusable_templates:
        _out(message)
    return 0


def cmd_export_templates(args: argparse.Namespace) -> int:
    """Write each packaged (or given) module as a JSON snapshot for ``laborcheck-server template publish``."""
    import json

    from app.checklists.loader import default_template_dir, load_template_set, module_snapshot

    template_set = load_template_set(Path(args.source) if args.source else default_template_dir())
    target = Path(args.directory)
    target.mkdir(parents=True, exist_ok=True)
    for module in template_set.modules:
        snapshot = module_snapshot(template_set, module.module)
        path = target / f"{module.module}-v{module.version}.json"
        path.write_text(json.dumps(snapshot, ensure_ascii=False, indent=1), encoding="utf-8")
        _out(str(path))
    return 0


def cmd_passphrase(args: argparse.Namespace) -> int:
    """Set or change the data directory's passphrase: the data key is re-wrapped, no data file is rewritten."""
    from app.config import resolve_paths
    from app.storage.keys import change_passphrase, key_method, prompt_new_passphrase

    root = resolve_paths(args.data_dir).root
    if key_method(root) is None:
        raise LaborCheckError(f"数据目录 {root} 还没有加密密钥：请先打开一次（例如 laborcheck profile show）。")
    change_passphrase(root, prompt_new_passphrase(root))
    _out(f"已设置新口令：{root}（数据文件未改写；请记住新口令，忘记后无法打开本机数据）")
    return 0


# ------------------------------------------------------------------------------------------------------ parser


def build_parser() -> argparse.ArgumentParser:
    data_dir_help = "数据目录（默认：LABORCHECK_HOME 或系统用户数据目录）"
    # Subcommands accept --data-dir too; SUPPRESS keeps their absent option from overwriting one given before the
    # subcommand (`laborcheck --data-dir D gui` and `laborcheck gui --data-dir D` mean the same).
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", default=argparse.SUPPRESS, help=data_dir_help)
    parser = argparse.ArgumentParser(prog="laborcheck", description="劳动用工法治体检")
    parser.add_argument("--data-dir", default=None, help=data_dir_help)
    commands = parser.add_subparsers(dest="command", required=False, metavar="COMMAND")
    parser.set_defaults(handler=cmd_gui, command="gui", self_test=False)

    gui = commands.add_parser("gui", parents=[common], help="启动图形界面（默认）")
    gui.add_argument("--self-test", action="store_true", help="打开主窗口、读写数据库、加载检查表后退出")
    gui.set_defaults(handler=cmd_gui)

    demo = commands.add_parser("demo", parents=[common], help="生成演示区县数据")
    demo.add_argument("--enterprises", type=int, default=240)
    demo.add_argument("--audits", type=int, default=36)
    demo.add_argument("--seed", type=int, default=2026)
    demo.set_defaults(handler=cmd_demo)

    check = commands.add_parser("check-templates", parents=[common], help="校验检查表模板（YAML 或 JSON 快照）")
    check.add_argument("path", nargs="?", help="模板目录、快照目录或一个快照文件（默认：内置模板）")
    check.set_defaults(handler=cmd_check_templates)

    profile = commands.add_parser("profile", parents=[common], help="协调员信息")
    profile_commands = profile.add_subparsers(dest="profile_command", required=True)
    profile_commands.add_parser("show", parents=[common])
    profile_set = profile_commands.add_parser("set", parents=[common])
    for option in ("name", "device-code", "badge-no", "organisation", "district", "issuing-body", "notice-prefix"):
        profile_set.add_argument(f"--{option}")
    profile.set_defaults(handler=cmd_profile)

    enterprise = commands.add_parser("enterprise", parents=[common], help="企业名录")
    enterprise_commands = enterprise.add_subparsers(dest="enterprise_command", required=True)
    imp = enterprise_commands.add_parser("import", parents=[common], help="从 xlsx/csv 导入企业")
    imp.add_argument("file")
    imp.add_argument("--accept-partial", action="store_true", help="只导入无误的行，列出有误的行")
    add = enterprise_commands.add_parser("add", parents=[common], help="登记一家企业")
    add.add_argument("--uscc", required=True)
    add.add_argument("--name", required=True)
    for option in ("industry", "address", "district", "contact-name", "contact-phone"):
        add.add_argument(f"--{option}")
    add.add_argument("--headcount", type=int)
    search = enterprise_commands.add_parser("search", parents=[common], help="按名称、代码或拼音首字母查找")
    search.add_argument("query")
    search.add_argument("--limit", type=int, default=20)
    code = enterprise_commands.add_parser("check-code", parents=[common], help="校验统一社会信用代码")
    code.add_argument("code")
    enterprise.set_defaults(handler=cmd_enterprise)

    audit = commands.add_parser("audit", parents=[common], help="体检记录的导入导出")
    audit_commands = audit.add_subparsers(dest="audit_command", required=True)
    audit_commands.add_parser("list", parents=[common])
    export = audit_commands.add_parser("export", parents=[common])
    export.add_argument("audit_id")
    export.add_argument("-o", "--output", required=True)
    export.add_argument("--blobs", help="同时把附件复制到此目录")
    pull_back = audit_commands.add_parser("pull-back", parents=[common], help="从服务器取回本机已归档的体检")
    pull_back.add_argument("audit_id")
    pull_back.add_argument("--user", help="登录用户名")
    pull_back.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")
    audit_import = audit_commands.add_parser("import", parents=[common])
    audit_import.add_argument("file")
    audit_import.add_argument("--blobs", help="附件所在目录（导出时的 --blobs）")
    audit.set_defaults(handler=cmd_audit)

    ledger = commands.add_parser("ledger", parents=[common], help="导出工作台账（xlsx 或 csv）")
    ledger.add_argument("-o", "--output", required=True)
    ledger.add_argument("--campaign")
    ledger.add_argument("--district")
    ledger.add_argument("--status", choices=["open", "submitted", "verified", "overdue"])
    ledger.set_defaults(handler=cmd_ledger)

    notice = commands.add_parser("notice", parents=[common], help="导出体检的整改通知书（PDF）")
    notice.add_argument("audit_id")
    notice.add_argument("-o", "--output", required=True)
    notice.set_defaults(handler=cmd_notice)

    summary = commands.add_parser("summary", parents=[common], help="导出专项行动工作情况报告（PDF）")
    summary.add_argument("--campaign", help="专项行动编号（默认：全部体检）")
    summary.add_argument("-o", "--output", required=True)
    summary.set_defaults(handler=cmd_summary)
    statistics = commands.add_parser(
        "statistics", parents=[common], help="显示专项行动统计数字（与统计页、工作报告一致）"
    )
    statistics.add_argument("--campaign", help="专项行动编号（默认：全部体检）")
    statistics.set_defaults(handler=cmd_statistics)
    fonts = commands.add_parser("fonts", parents=[common], help="列出整改通知书各部分所用字体及缺少的字体")
    fonts.set_defaults(handler=cmd_fonts)
    sync = commands.add_parser("sync", parents=[common], help="与区办服务器同步")
    sync.add_argument("--server", help="服务器地址（首次同步时指定）")
    sync.add_argument("--yes", action="store_true", help="同意同步到 --server 指定的地址")
    sync.add_argument("--user", help="登录用户名")
    sync.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")
    sync.add_argument("--verbose", action="store_true")
    sync.set_defaults(handler=cmd_sync)

    export_templates = commands.add_parser("export-templates", parents=[common], help="导出检查表快照供服务器发布")
    export_templates.add_argument("directory")
    export_templates.add_argument("--source", help="模板目录（默认：内置模板）")
    export_templates.set_defaults(handler=cmd_export_templates)

    passphrase = commands.add_parser("passphrase", parents=[common], help="设置或更改数据口令（不改写数据）")
    passphrase.set_defaults(handler=cmd_passphrase)
    return parser


LOW_DISK_BYTES = 1_000_000
"""Less free space than this when SQLite reports an I/O error: the disk is full."""
DISK_PROBLEMS = {
    errno.EROFS: "磁盘为只读",
    errno.ENOSPC: "磁盘空间已满",
    errno.EDQUOT: "磁盘配额已满",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
}


def disk_problem(error: BaseException, data_dir: Path) -> str | None:
    """One line for an error the disk caused (read-only, full, no permission), or None for any other error.

    SQLite reports these as its own errors ("database or disk is full", "attempt to write a readonly database",
    or just "disk I/O error" when the write-ahead log cannot grow), which reach us wrapped by SQLAlchemy.
    """
    if isinstance(error, OSError) and error.errno in DISK_PROBLEMS:
        where = f"：{error.filename}" if error.filename else ""
        return f"无法写入数据目录（{DISK_PROBLEMS[error.errno]}）{where}"
    text = str(getattr(error, "orig", error)).lower()
    if "disk is full" in text or "disk full" in text:
        return "无法写入数据目录（磁盘空间已满）"
    if "readonly database" in text or "read-only" in text:
        return "无法写入数据目录（磁盘为只读）"
    if "disk i/o error" in text:
        try:
            full = shutil.disk_usage(data_dir).free < LOW_DISK_BYTES
        except OSError:
            full = False
        return "无法写入数据目录（磁盘空间已满）" if full else "无法读写数据目录（磁盘读写出错）"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except LaborCheckError as error:
        sys.stderr.write(f"错误：{error}\n")
        return 1
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away: not an error. Point stdout at devnull so the exit flush is quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        sys.stderr.write("已取消\n")
        return 130
    except Exception as error:
        # Imported here, not at the top: the templates' loader brings SQLAlchemy and pydantic, which the GUI's
        # start must not wait for (the window is shown before the database layer is imported).
        from app.checklists.loader import TemplateLoadError

        if isinstance(error, TemplateLoadError):
            sys.stderr.write(f"错误：{error}\n")
            return 1
        from app.applog import setup_logging
        from app.config import resolve_paths

        problem = disk_problem(error, resolve_paths(args.data_dir).root)
        if problem is not None:  # the environment, not a bug: one line, no traceback, nothing else to write
            sys.stderr.write(f"错误：{problem}。请检查磁盘空间和权限后重试。\n")
            return 1
        log_path = setup_logging(resolve_paths(args.data_dir).logs)
        log.exception("unexpected error in %s", args.command)
        where = str(log_path) if log_path is not None else "标准错误输出（日志文件无法写入）"
        sys.stderr.write(f"内部错误（{type(error).__name__}）：详情已记录到 {where}\n")
        return 2


if __name__ == "__main__":
    sys.exit(main())
