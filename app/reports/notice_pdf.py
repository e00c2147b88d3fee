"""The rectification notice (劳动用工法治体检整改通知书) as a PDF laid out after GB/T 9704-2012.

What is printed comes from the notice's frozen ``content`` snapshot and its signature fields only, never from the
live audit, so a signed notice prints exactly what was signed, every time, byte for byte: ReportLab runs in
invariant mode, the creation date is the signing time (a draft uses its issue date), and nothing reads the clock.

Order on the page: issuing body in red, 文号 with 〔〕, a red rule, the title, the addressee (主送), the opening
paragraph (visit date, coordinators, modules checked), one numbered section per problem (what was found, legal
basis as stored, required action, deadline date — with "（N个工作日）" for working-day deadlines and a note when the
holiday schedule of that year was not yet known — and the responsible person), the closing paragraphs on follow-up
(复查) and on the enterprise's right to state its view, 特此通知, the issuing body and date with the seal area, the
signature blocks with the captured images, names and signing times (Asia/Shanghai), and for a signed notice the
short content hash and a QR code of its verification address.

A draft has a diagonal 草稿 on every page, no signatures, no hash and no QR (it has no hash yet). A voided notice
keeps everything it was signed with and adds a diagonal 作废 and the reason.

The verification address is passed in by the caller (``app.sync.protocol.verification_url`` makes it; the reports
layer may not import the sync layer). Without a server address there is no QR: a QR that points nowhere would
invite people to trust a scan that cannot work, so the hash is printed alone and can be read out to the office.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

import segno
from reportlab.lib.colors import Color, black
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, HRFlowable, KeepTogether, Spacer, Table, TableStyle
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Audit, Notice, NoticeStatus
from app.reports.ledger import basis_text
from core.clock import CHINA_TZ
from core.errors import LaborCheckError
from core.fonts import NoticeFonts
from core.official_page import (
    BODY_SIZE,
    CHAR,
    GREY,
    LEADING,
    RED,
    TEXT_WIDTH,
    TITLE_SIZE,
    PageDecor,
    Signoff,
    Watermark,
    build_pdf,
    chinese_date,
    chinese_moment,
    chinese_numeral,
)
from core.typesetting import Run, TextBlock

NOTICE_TITLE: Final = "劳动用工法治体检整改通知书"
BlobReader = Callable[[str], bytes]
"""Reads a blob by its SHA-256 (``Workspace.blobs.get``): the reports layer does not know the store."""


class NoticePdfError(LaborCheckError):
    """A notice that cannot be printed as asked (none yet for the audit, a missing signature image)."""


def short_hash(content_hash: str) -> str:
    """The hash as printed for people to read out and compare: the first 16 hex digits in groups of four."""
    head = content_hash[:16].upper()
    return " ".join(head[index : index + 4] for index in range(0, len(head), 4))


def latest_notice(session: Session, audit_id: str) -> Notice:
    """The audit's newest notice that is not voided (a reissue supersedes a voided one)."""
    if session.get(Audit, audit_id) is None:
        raise NoticePdfError(f"找不到体检记录：{audit_id}")
    notice = session.scalars(
        select(Notice)
        .where(Notice.audit_id == audit_id, Notice.status != NoticeStatus.VOIDED)
        .order_by(Notice.year.desc(), Notice.created_at.desc(), Notice.sequence.desc())
    ).first()
    if notice is None:
        raise NoticePdfError("该次体检尚未出具整改通知书：请先在体检记录中生成并签署整改通知书，再导出 PDF。")
    return notice


# --- building blocks ------------------------------------------------------------------------------------------


class _Styles:
    def __init__(self, fonts: NoticeFonts) -> None:
        self.fonts = fonts

    def body(self, text: str | Sequence[Run], *, indent: bool = True, **options: Any) -> TextBlock:
        runs = [(text, self.fonts.body)] if isinstance(text, str) else list(text)
        return TextBlock(runs, size=BODY_SIZE, leading=LEADING, first_indent=2 * CHAR if indent else 0, **options)

    def labelled(self, label: str, text: str, **options: Any) -> TextBlock:
        """A body paragraph whose label (整改要求：) is set in the heading face, as second-level wording."""
        return self.body([(label, self.fonts.kai), (text, self.fonts.body)], **options)

    def heading(self, text: str, **options: Any) -> TextBlock:
        return TextBlock(
            [(text, self.fonts.heading)], size=BODY_SIZE, leading=LEADING, first_indent=2 * CHAR, **options
        )

    def centred(self, text: str, size: float, font: str, **options: Any) -> TextBlock:
        return TextBlock([(text, font)], size=size, leading=max(LEADING, size * 1.45), align="center", **options)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in "。！？；" else text + "。"


def _heading_text(text: str) -> str:
    return text.strip().rstrip("。；;，,")


def _deadline_text(problem: Mapping[str, Any]) -> str:
    day = dt.date.fromisoformat(str(problem["deadline"]))
    text = f"{chinese_date(day)}前完成整改"
    if problem.get("deadline_working_days"):
        days = int(problem.get("deadline_days") or 0)
        note = f"{days}个工作日" if days else "按工作日计算"
        if problem.get("deadline_estimated"):
            note += "；该年度法定节假日安排尚未公布，日期系按现有规定推算，如有调整以实际工作日为准"
        text += f"（{note}）"
    elif problem.get("deadline_estimated"):
        # A calendar deadline ending on a holiday moves to the next working day (民法典第二百零三条), and the
        # holidays of that year are not published yet.
        text += "（期限届满日如遇法定节假日顺延；该年度法定节假日安排尚未公布，日期系按现有规定推算）"
    return text + "。"


def _responsible_text(problem: Mapping[str, Any]) -> str:
    person = str(problem.get("responsible_person") or "").strip()
    phone = str(problem.get("responsible_phone") or "").strip()
    if not person:
        return "由你单位指定专人负责，并在报送整改情况时注明。"
    return f"{person}（联系电话：{phone}）。" if phone else f"{person}。"


class _QRCode(Flowable):  # type: ignore[misc]
    """A QR code drawn as vector squares (sharp at any printer resolution, no image to embed)."""

    def __init__(self, data: str, size: float) -> None:
        super().__init__()
        self.code = segno.make(data, error="m", micro=False)
        self.size = size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        matrix = self.code.matrix
        count = len(matrix) + 8  # the quiet zone of four modules on each side
        module = self.size / count
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(black)
        path = canvas.beginPath()
        for row_number, row in enumerate(matrix):
            y = self.size - (row_number + 5) * module
            for column, dark in enumerate(row):
                if dark:
                    path.rect((column + 4) * module, y, module, module)
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.restoreState()


def _signature_image(data: bytes | None, width: float, height: float) -> Flowable:
    if data is None:
        return Spacer(width, height)
    reader = ImageReader(io.BytesIO(data))
    pixels_wide, pixels_high = reader.getSize()
    scale = min(width / pixels_wide, height / pixels_high)
    return _Picture(reader, pixels_wide * scale, pixels_high * scale)


class _Picture(Flowable):  # type: ignore[misc]
    def __init__(self, reader: ImageReader, width: float, height: float) -> None:
        super().__init__()
        self.reader, self.width, self.height = reader, width, height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.canv.drawImage(self.reader, 0, 0, self.width, self.height, mask="auto")


# --- the document ---------------------------------------------------------------------------------------------


def _header(content: Mapping[str, Any], number: str, styles: _Styles, notice: Notice) -> list[Flowable]:
    fonts = styles.fonts
    issuing_body = str(content.get("issuing_body") or "")
    story: list[Flowable] = [
        styles.centred(issuing_body, TITLE_SIZE, fonts.title, color=RED, stroke=0.6),
        styles.centred(number, BODY_SIZE, fonts.body, space_before=0.3 * LEADING),
        HRFlowable(width="100%", thickness=1.2, color=RED, spaceBefore=4 * mm, spaceAfter=0.6 * LEADING),
        styles.centred(NOTICE_TITLE, TITLE_SIZE, fonts.title, stroke=0.5),
    ]
    if notice.status is NoticeStatus.DRAFT:
        story.append(styles.centred("（草稿　未经签署，不作为正式文书送达）", BODY_SIZE, fonts.body, color=RED))
    elif notice.status is NoticeStatus.VOIDED:
        when = f"于{chinese_moment(notice.voided_at)}" if notice.voided_at else ""
        reason = _sentence(notice.void_reason or "")
        story.append(
            styles.body(f"本通知书已{when}作废，不再作为整改依据。作废理由：{reason}", indent=False, color=RED)
        )
    return story


def _opening(content: Mapping[str, Any], styles: _Styles) -> list[Flowable]:
    enterprise = content.get("enterprise") or {}
    name = str(enterprise.get("name") or "")
    uscc = str(enterprise.get("uscc") or "")
    issuing_body = str(content.get("issuing_body") or "")
    visit = chinese_date(dt.date.fromisoformat(str(content["visit_date"])))
    coordinators = "、".join(str(person) for person in content.get("coordinators") or [] if str(person).strip())
    titles = [str(title) for title in content.get("module_titles") or [] if str(title).strip()]
    problems = content.get("problems") or []
    checked = f"重点检查了{'、'.join(titles)}等{len(titles)}个方面的情况" if titles else "检查了劳动用工管理情况"
    identity = f"（统一社会信用代码：{uscc}）" if uscc else ""
    opening = (
        f"{visit}，{issuing_body}劳动关系协调员{coordinators}到你单位{identity}开展劳动用工法治体检，"
        f"通过查阅资料、听取介绍、现场询问等方式，{checked}。"
    )
    findings = (
        f"经检查，你单位在劳动用工管理中存在以下{len(problems)}个问题。"
        "根据有关法律法规规定，现将存在的问题及整改要求通知如下："
    )
    return [
        styles.body(f"{name}：", indent=False, space_before=0.5 * LEADING),
        styles.body(opening),
        styles.body(findings),
    ]


def _problem_section(index: int, problem: Mapping[str, Any], styles: _Styles) -> list[Flowable]:
    heading = styles.heading(f"{chinese_numeral(index)}、{_heading_text(str(problem.get('description') or ''))}")
    basis = basis_text(problem.get("basis") or [])
    parts: list[TextBlock] = []
    if basis:
        parts.append(styles.labelled("法律依据：", _sentence(basis)))
    parts.append(styles.labelled("整改要求：", _sentence(str(problem.get("requirement") or ""))))
    parts.append(styles.labelled("整改期限：", _deadline_text(problem)))
    parts.append(styles.labelled("整改负责人：", _responsible_text(problem)))
    # The heading and the first line of what follows are one unit: KeepTogether moves both when they do not fit.
    first = parts[0]
    first.keep_lines = 1
    return [_HeadingWithFirstLine(heading, first), *parts[1:]]


class _HeadingWithFirstLine(Flowable):  # type: ignore[misc]
    """A heading and the paragraph after it, splittable only below the paragraph's first line."""

    def __init__(self, heading: TextBlock, follower: TextBlock) -> None:
        super().__init__()
        self.heading = heading
        self.follower = follower
        self.spaceBefore = heading.spaceBefore
        self.spaceAfter = follower.spaceAfter

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        _, top = self.heading.wrap(available_width, available_height)
        _, bottom = self.follower.wrap(available_width, available_height)
        self.width, self.height = available_width, top + bottom
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        _, top = self.heading.wrap(available_width, available_height)
        room = available_height - top
        if room < LEADING:
            return []
        pieces = self.follower.split(available_width, room)
        if len(pieces) != 2:
            return []
        return [_HeadingWithFirstLine(self.heading, pieces[0]), pieces[1]]

    def draw(self) -> None:
        bottom = self.follower.height
        self.heading.drawOn(self.canv, 0, bottom)
        self.follower.drawOn(self.canv, 0, 0)


def _closing(content: Mapping[str, Any], styles: _Styles) -> tuple[list[Flowable], list[Flowable]]:
    issuing_body = str(content.get("issuing_body") or "")
    follow_up = (
        "请你单位收到本通知书后，对照上述问题逐项研究落实整改措施，在整改期限内完成整改，"
        f"并将整改情况书面报送{issuing_body}，同时附送劳动合同、工资支付记录、制度文本等相关证明材料。"
        f"整改期限届满后，{issuing_body}将通过实地复查或审核书面材料的方式进行复查，整改一项、销号一项；"
        "逾期未整改或者整改不到位的，将列为重点关注对象加强跟踪指导，必要时提请劳动保障监察机构依法处理。"
    )
    explain = (
        "你单位对本通知书所列问题或者整改要求有异议的，可以在整改期限届满前，"
        f"向{issuing_body}陈述意见、说明情况，并提交相关证明材料。{issuing_body}将认真核实，"
        "理由成立的予以采纳。"
    )
    return [styles.body(follow_up)], [styles.body(explain), styles.body("特此通知。")]


def _signature_table(
    notice: Notice, read_blob: BlobReader, styles: _Styles, content: Mapping[str, Any]
) -> list[Flowable]:
    fonts = styles.fonts
    small = 11.5

    def cell(text: str, font: str | None = None, align: str = "left") -> TextBlock:
        return TextBlock([(text, font or fonts.body)], size=small, leading=small * 1.5, align=align)  # type: ignore[arg-type]

    def image(sha256: str | None) -> Flowable:
        if notice.status is NoticeStatus.DRAFT or not sha256:
            return Spacer(1, 16 * mm)
        try:
            data = read_blob(sha256)
        except LaborCheckError as error:
            raise NoticePdfError(f"签名图像无法读取，不能生成整改通知书：{error}") from error
        return _signature_image(data, 46 * mm, 14 * mm)

    signed = notice.status is not NoticeStatus.DRAFT and notice.signed_at is not None
    when = chinese_moment(notice.signed_at) if signed and notice.signed_at else "　　年　　月　　日"
    coordinators = [str(person) for person in content.get("coordinators") or []]
    coordinator_name = notice.coordinator_signer or (coordinators[0] if coordinators else "")
    enterprise_name = notice.enterprise_signer if signed else ""
    rows = [
        [cell("签署人", fonts.heading, "center"), cell("签名", fonts.heading, "center"),
         cell("姓名", fonts.heading, "center"), cell("签署时间", fonts.heading, "center")],
        [cell("体检人员"), image(notice.coordinator_signature_sha256), cell(coordinator_name), cell(when)],
        [cell("企业签收人"), image(notice.enterprise_signature_sha256), cell(enterprise_name), cell(when)],
    ]  # fmt: skip
    widths = [30 * mm, 48 * mm, 24 * mm, TEXT_WIDTH - 102 * mm]
    table = Table(rows, colWidths=widths, rowHeights=[8 * mm, 16 * mm, 16 * mm])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), fonts.body),  # the default would name Helvetica, never embedded
                ("GRID", (0, 0), (-1, -1), 0.6, black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (1, 1), (1, -1), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    table.spaceBefore = 0.5 * LEADING
    return [table]


def _verification(notice: Notice, styles: _Styles, verification_url: str) -> Flowable | None:
    """The short hash and, with a server address, the QR: set beside the 落款, left of the seal."""
    if notice.status is NoticeStatus.DRAFT or not notice.content_hash:
        return None
    fonts = styles.fonts
    size = 9.0
    lines = ["核验码（SHA-256）：", short_hash(notice.content_hash)]
    if verification_url:
        lines.append("扫码可核对签署内容及是否作废。")
    else:
        lines.append("可向出具单位报核验码核对内容。")
    text = [TextBlock([(line, fonts.body)], size=size, leading=size * 1.6, align="left", color=GREY) for line in lines]
    qr_size = 20 * mm
    cells: list[Any] = [_QRCode(verification_url, qr_size), text] if verification_url else [text]
    widths = [qr_size + 4, 150 - qr_size] if verification_url else [150]
    block = Table([cells], colWidths=widths)
    block.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), fonts.body),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return block


def render_notice(
    notice: Notice,
    read_blob: BlobReader,
    *,
    fonts: NoticeFonts,
    verification_url: str = "",
) -> bytes:
    """The notice as PDF bytes. Same notice, same fonts, same address → same bytes.

    ``read_blob`` fetches signature images by hash; ``verification_url`` is the QR's address for a signed notice
    (empty: no QR). It must carry this notice's content hash, so a QR can never vouch for other content.
    """
    content = notice.content
    if verification_url and (not notice.content_hash or not verification_url.endswith(notice.content_hash)):
        raise ValueError("verification_url does not carry this notice's content hash")
    styles = _Styles(fonts)
    story: list[Flowable] = _header(content, notice.number, styles, notice)
    story += _opening(content, styles)
    for index, problem in enumerate(content.get("problems") or [], start=1):
        story += _problem_section(index, problem, styles)
    follow_up, last = _closing(content, styles)
    story += follow_up
    issuing_body = str(content.get("issuing_body") or "")
    issued_on = dt.date.fromisoformat(str(content.get("issued_on") or notice.issued_on.isoformat()))
    seal = "（印章）" if notice.status is not NoticeStatus.DRAFT else "（草稿不盖章）"
    # The end of the text, the 落款 and the signatures move as one: never signatures alone on a page.
    story.append(
        KeepTogether(
            [
                *last,
                Signoff(
                    issuing_body,
                    issued_on,
                    fonts,
                    seal_label=seal,
                    aside=_verification(notice, styles, verification_url),
                ),
                *_signature_table(notice, read_blob, styles, content),
            ]
        )
    )
    watermark = None
    if notice.status is NoticeStatus.DRAFT:
        watermark = Watermark("草稿", Color(0.86, 0.86, 0.86))
    elif notice.status is NoticeStatus.VOIDED:
        watermark = Watermark("作废", Color(0.96, 0.78, 0.78))
    footer = notice.number + (f"　核验码 {short_hash(notice.content_hash)}" if notice.content_hash else "")
    created = notice.signed_at or dt.datetime.combine(notice.issued_on, dt.time(0, 0), tzinfo=CHINA_TZ)
    enterprise = str((content.get("enterprise") or {}).get("name") or "")
    return build_pdf(
        story,
        decor=PageDecor(fonts=fonts, footer_note=footer, watermark=watermark),
        title=f"{NOTICE_TITLE}（{notice.number}）",
        author=issuing_body,
        subject=f"{enterprise}劳动用工法治体检整改通知书",
        created=created,
    )


__all__ = ["NOTICE_TITLE", "BlobReader", "NoticePdfError", "latest_notice", "render_notice", "short_hash"]
