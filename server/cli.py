"""``laborcheck-server``: set up, run and administer the district server.

Every command takes ``--database-url`` (SQLite file by default; ``postgresql+psycopg://user@host/db`` for
PostgreSQL) and ``--blob-dir``; the environment variables ``LABORCHECK_SERVER_DATABASE_URL`` and
``LABORCHECK_SERVER_BLOBS`` set them too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy.orm import Session

from app.sync.protocol import Role
from core.clock import china_today
from core.publications import known_kinds
from server import admin
from server.config import ServerSettings
from server.console import projection
from server.db import open_server_database
from server.feed import purge_tombstones
from server.models import District
from server.policy import CITY_ROLE

ENV_PASSWORD = "LABORCHECK_SERVER_PASSWORD"  # noqa: S105 (the variable's name, not a password)


def _settings(args: argparse.Namespace) -> ServerSettings:
    return ServerSettings.from_env(args.database_url, args.blob_dir)


def _in_session(args: argparse.Namespace, work: Callable[[Session], str]) -> int:
    db = open_server_database(_settings(args).database_url)
    try:
        with db.session() as session:
            message = work(session)
    finally:
        db.close()
    print(message)
    return 0


def _password(args: argparse.Namespace) -> str:
    if getattr(args, "password_stdin", False):
        return sys.stdin.readline().rstrip("\n")
    if os.environ.get(ENV_PASSWORD):
        return os.environ[ENV_PASSWORD]
    return getpass.getpass("密码：")


def cmd_init(args: argparse.Namespace) -> int:
    password = _password(args)

    def work(session: Session) -> str:
        admin.add_district(session, args.district)
        admin.add_user(session, username=args.admin, password=password, role=Role.ADMIN, district=args.district)
        return f"已初始化数据库，管理员 {args.admin}（{args.district}）"

    return _in_session(args, work)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    os.environ["LABORCHECK_SERVER_DATABASE_URL"] = _settings(args).database_url
    os.environ["LABORCHECK_SERVER_BLOBS"] = str(_settings(args).blob_dir)
    db = open_server_database(_settings(args).database_url)
    with db.session() as session:
        purge_tombstones(session, _settings(args).tombstone_horizon)
    # The office console's read model follows the feed; after an upgrade it folds the whole store once, here,
    # rather than in the first page someone opens.
    projection.catch_up(db, china_today())
    db.close()
    uvicorn.run("server.asgi:app", host=args.host, port=args.port, workers=args.workers, log_level="warning")
    return 0


def cmd_user(args: argparse.Namespace) -> int:
    if args.user_command == "add":
        password = _password(args)

        def work(session: Session) -> str:
            if args.role == CITY_ROLE:
                if not args.city:
                    raise admin.AdminError("市级账号须用 --city 指定城市")
                user = admin.add_city_user(
                    session,
                    username=args.username,
                    password=password,
                    city=args.city,
                    display_name=args.display_name or "",
                )
                return f"已添加市级用户 {user.username}"
            if not args.district:
                raise admin.AdminError("请用 --district 指定区县")
            user = admin.add_user(
                session,
                username=args.username,
                password=password,
                role=Role(args.role),
                district=args.district,
                display_name=args.display_name or "",
            )
            return f"已添加用户 {user.username}"

        return _in_session(args, work)
    return _in_session(args, lambda s: f"已停用用户 {admin.set_user_disabled(s, args.username).username}")


def cmd_device(args: argparse.Namespace) -> int:
    return _in_session(args, lambda s: f"已撤销设备 {admin.revoke_device(s, args.device_id).id}")


def cmd_district(args: argparse.Namespace) -> int:
    if args.district_command == "retention":
        return _in_session(args, lambda s: _retention_line(admin.set_retention(s, args.name, _days(args.days))))
    return _in_session(args, lambda s: f"区县：{admin.add_district(s, args.name).name}")


def _days(value: str) -> int | None:
    if value.strip().lower() in ("off", "none", "0"):
        return None
    if not value.strip().isdigit():
        raise admin.AdminError(f"保留天数应为正整数或 off：{value}")
    return int(value)


def _retention_line(district: District) -> str:
    if district.retention_days is None:
        return f"{district.name}：不清理笔记本上已同步的体检"
    return f"{district.name}：已同步且整改完毕的体检在笔记本上保留 {district.retention_days} 天"


def cmd_enterprise(args: argparse.Namespace) -> int:
    def work(session: Session) -> str:
        added, updated = admin.import_enterprises(session, args.district, Path(args.file))
        return f"新增 {added} 家，更新 {updated} 家"

    return _in_session(args, work)


def cmd_template(args: argparse.Namespace) -> int:
    def work(session: Session) -> str:
        published = admin.publish_templates(session, Path(args.path))
        return "已发布：" + "、".join(published) if published else "没有新的检查表版本"

    return _in_session(args, work)


def cmd_publish(args: argparse.Namespace) -> int:
    def work(session: Session) -> str:
        published = admin.publish_documents(session, args.kind, Path(args.file), args.district)
        return "已发布：" + "、".join(published) if published else "内容与已发布的版本相同，未重复发布"

    return _in_session(args, work)


def cmd_city(args: argparse.Namespace) -> int:
    def work(session: Session) -> str:
        city = admin.add_city(session, args.name, args.districts)
        return f"城市：{city.name}（所辖区县：{'、'.join(args.districts) or '未指定'}）"

    return _in_session(args, work)


def cmd_campaign(args: argparse.Namespace) -> int:
    def date(value: str | None) -> dt.date | None:
        return dt.date.fromisoformat(value) if value else None

    return _in_session(
        args,
        lambda s: (
            "已添加专项行动 "
            + admin.add_campaign(
                s,
                district=args.district,
                name=args.name,
                starts_on=date(args.starts_on),
                ends_on=date(args.ends_on),
                report_due_on=date(args.report_due_on),
            ).entity_id
        ),
    )


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--database-url", help="数据库地址（默认 SQLite：sqlite:///laborcheck-server.db）")
    common.add_argument("--blob-dir", help="附件目录")
    parser = argparse.ArgumentParser(prog="laborcheck-server", description="劳动用工法治体检 区县服务器")
    commands = parser.add_subparsers(dest="command", required=True)

    init = commands.add_parser("init", parents=[common], help="建库并创建第一个管理员")
    init.add_argument("--district", required=True)
    init.add_argument("--admin", required=True, help="管理员用户名")
    init.add_argument("--password-stdin", action="store_true")
    init.set_defaults(handler=cmd_init)

    serve = commands.add_parser("serve", parents=[common], help="启动服务")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8600)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(handler=cmd_serve)

    user = commands.add_parser("user", parents=[common], help="用户管理")
    user_commands = user.add_subparsers(dest="user_command", required=True)
    user_add = user_commands.add_parser("add", parents=[common])
    user_add.add_argument("username")
    user_add.add_argument("--role", choices=[*(role.value for role in Role), CITY_ROLE], required=True)
    user_add.add_argument("--district", help="区县（协调员、区办、管理员）")
    user_add.add_argument("--city", help="城市（市级账号）")
    user_add.add_argument("--display-name")
    user_add.add_argument("--password-stdin", action="store_true")
    user_disable = user_commands.add_parser("disable", parents=[common])
    user_disable.add_argument("username")
    user.set_defaults(handler=cmd_user)

    device = commands.add_parser("device", parents=[common], help="设备管理")
    device_commands = device.add_subparsers(dest="device_command", required=True)
    revoke = device_commands.add_parser("revoke", parents=[common])
    revoke.add_argument("device_id")
    device.set_defaults(handler=cmd_device)

    district = commands.add_parser("district", parents=[common], help="区县")
    district_commands = district.add_subparsers(dest="district_command", required=True)
    district_add = district_commands.add_parser("add", parents=[common])
    district_add.add_argument("name")
    district_retention = district_commands.add_parser(
        "retention", parents=[common], help="笔记本上已同步体检的保留天数（off 为不清理）"
    )
    district_retention.add_argument("name")
    district_retention.add_argument("days", help="天数（至少 30），或 off")
    district.set_defaults(handler=cmd_district)

    enterprise = commands.add_parser("enterprise", parents=[common], help="企业名录")
    enterprise_commands = enterprise.add_subparsers(dest="enterprise_command", required=True)
    imp = enterprise_commands.add_parser("import", parents=[common])
    imp.add_argument("file")
    imp.add_argument("--district", required=True)
    enterprise.set_defaults(handler=cmd_enterprise)

    template = commands.add_parser("template", parents=[common], help="检查表")
    template_commands = template.add_subparsers(dest="template_command", required=True)
    publish = template_commands.add_parser("publish", parents=[common], help="发布模板快照（JSON 文件或目录）")
    publish.add_argument("path")
    template.set_defaults(handler=cmd_template)

    publish_doc = commands.add_parser(
        "publish", parents=[common], help="发布区办资料（最低工资标准等），笔记本同步时接收"
    )
    publish_doc.add_argument("kind", choices=known_kinds())
    publish_doc.add_argument("file", help="JSON 或 CSV（UTF-8 或 GBK）文件")
    publish_doc.add_argument("--district", help="只发布给该区县（默认发布给全部区县）")
    publish_doc.set_defaults(handler=cmd_publish)

    city = commands.add_parser("city", parents=[common], help="城市（区县向市报送）")
    city_commands = city.add_subparsers(dest="city_command", required=True)
    city_add = city_commands.add_parser("add", parents=[common], help="添加城市并指定所辖区县")
    city_add.add_argument("name")
    city_add.add_argument("districts", nargs="*", help="所辖区县")
    city.set_defaults(handler=cmd_city)

    campaign = commands.add_parser("campaign", parents=[common], help="专项行动")
    campaign_commands = campaign.add_subparsers(dest="campaign_command", required=True)
    campaign_add = campaign_commands.add_parser("add", parents=[common])
    campaign_add.add_argument("name")
    campaign_add.add_argument("--district", required=True)
    campaign_add.add_argument("--starts-on")
    campaign_add.add_argument("--ends-on")
    campaign_add.add_argument("--report-due-on")
    campaign.set_defaults(handler=cmd_campaign)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except admin.AdminError as error:
        sys.stderr.write(f"错误：{error}\n")
        return 1


if __name__ == "__main__":
    sys.exit(main())
