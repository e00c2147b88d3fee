"""The rectification notice (劳动用工法治体检整改通知书) as a PDF laid out after GB/T 9704-2012.

What is printed comes from the notice's frozen ``content`` snapshot and its signature fields only, never from the
live audit, so a signed notice prints exactly what was signed, every time, byte for byte: ReportLab runs in
invariant mode, the creation date is the signing time (a draft uses its issue date), and nothing reads the clock.

Order on the page, laid out on the official page of :mod:`core.official_page` (GB/T 9704-2012, measured by the
tests): the issuing body's mark in red, the 文号 with 〔〕, the red separator, the title, the addressee (主送), the
opening paragraph (visit date, coordinators, modules checked), one numbered section per problem — its heading is
the statement of what was found (a sentence of fact chosen by the visit's figures, or as the coordinator reworded
it), then the coordinator's note where it was marked for the notice, the legal basis as stored, the required
action and the deadline date — then, once, the responsible person when all problems share one, and a note on
estimated deadlines only when one falls in a year whose holiday schedule is not yet known; the closing paragraphs
on follow-up (复查) and on the enterprise's right to state its view, 特此通知, the issuing body and date, the
signature table with the captured images, names and signing times (Asia/Shanghai), and beside it, for a signed
notice, the short content hash and a QR code of its verification address. The sign-off never stands alone at the
head of a page: at least two lines of the text go with it, split off the end of the text so the page before stays
full. The footer carries only the page number.

A draft has a diagonal 草稿 on every page, a red line saying it is not served, the dashed seal placeholder, no
signatures, no hash and no QR (it has no hash yet). A voided notice keeps everything it was signed with and adds a
diagonal 作废 and the reason.

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
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from app.models import Notice, NoticeStatus
from app.reports.ledger import basis_text
from app.reports.wage_annex import annex_flowables, annex_note
from core.clock import CHINA_TZ
from core.errors import LaborCheckError
from core.fonts import NoticeFonts
from core.official_page import (
    BODY_CHAR_SPACE,
    BODY_SIZE,
    CHAR,
    GREY,
    LEADING,
    TEXT_HEIGHT,
    TEXT_WIDTH,
    OfficialHeader,
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


# --- building blocks ------------------------------------------------------------------------------------------


class _Styles:
    def __init__(self, fonts: NoticeFonts) -> None:
        self.fonts = fonts

    def body(self, text: str | Sequence[Run], *, indent: bool = True, **options: Any) -> TextBlock:
        runs = [(text, self.fonts.body)] if isinstance(text, str) else list(text)
        return TextBlock(
            runs,
            size=BODY_SIZE,
            leading=LEADING,
            first_indent=2 * CHAR if indent else 0,
            char_space=BODY_CHAR_SPACE,
            **options,
        )

    def labelled(self, label: str, text: str, **options: Any) -> TextBlock:
        """A body paragraph whose label (整改要求：) is set in 楷体, as second-level wording."""
        return self.body([(label, self.fonts.kai), (text, self.fonts.body)], **options)

    def heading(self, text: str, **options: Any) -> TextBlock:
        """A first-level heading (一、…) in 黑体 on the body's grid."""
        return self.body([(text, self.fonts.heading)], **options)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in "。！？；" else text.rstrip("，,；;") + "。"


def _deadline_text(problem: Mapping[str, Any]) -> str:
    day = dt.date.fromisoformat(str(problem["deadline"]))
    days = int(problem.get("deadline_days") or 0)
    if days == 0:
        return f"收到本通知书后立即整改，{chinese_date(day)}前完成。"
    if problem.get("deadline_working_days"):
        return f"{chinese_date(day)}前完成整改（{days}个工作日）。"
    return f"{chinese_date(day)}前完成整改。"


def _responsible(problem: Mapping[str, Any]) -> tuple[str, str]:
    return str(problem.get("responsible_person") or "").strip(), str(problem.get("responsible_phone") or "").strip()


def _responsible_text(person: str, phone: str) -> str:
    return f"{person}（联系电话：{phone}）。" if phone else f"{person}。"


def estimated_note(problems: Sequence[Mapping[str, Any]]) -> str:
    """The one note on estimated deadlines, or empty when every deadline rests on a published holiday schedule."""
    estimated = [
        (index, dt.date.fromisoformat(str(problem["deadline"])).year)
        for index, problem in enumerate(problems, start=1)
        if problem.get("deadline_estimated")
    ]
    if not estimated:
        return ""
    numbers = "、".join(f"第{chinese_numeral(index)}项" for index, _ in estimated)
    years = "、".join(f"{year}年" for year in sorted({year for _, year in estimated}))
    return (
        f"注：{numbers}的整改期限在{years}，该年度法定节假日安排尚未公布，期限系按现行放假办法推算；"
        "国务院公布的安排与此不同的，以调整后的工作日为准。"
    )


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


class _Ending(Flowable):  # type: ignore[misc]
    """The last paragraphs and what follows them (落款, signatures): the tail never stands alone at a page's head.

    When everything does not fit, the paragraphs are split so that the page is filled and at least ``keep``
    lines go over with the tail — never a whole block moved leaving the page below it empty. A paragraph split
    keeps two lines on each side (no orphan, no widow).
    """

    def __init__(self, paragraphs: Sequence[TextBlock], tail: Sequence[Flowable], keep: int = 2) -> None:
        super().__init__()
        self.paragraphs = list(paragraphs)
        self.tail = list(tail)
        self.keep = keep

    def _tail_height(self, width: float, height: float) -> float:
        total = 0.0
        for flowable in self.tail:
            total += flowable.wrap(width, height)[1] + flowable.getSpaceBefore() + flowable.getSpaceAfter()
        return total

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        text = sum(p.wrap(available_width, available_height)[1] for p in self.paragraphs)
        self.height = text + self._tail_height(available_width, available_height)
        return self.width, self.height

    def _fit(self, lines: list[tuple[int, Any]], starts: dict[int, int], room_lines: int) -> int:
        """How many text lines can stay on this page with ``keep`` going over, no paragraph left with one line."""
        fit = min(room_lines, len(lines) - self.keep)
        while fit > 0:
            number = lines[fit][0]
            start = starts[number]
            end = start + sum(1 for entry in lines if entry[0] == number)
            if start == fit or (fit - start >= 2 and end - fit >= 2):
                break
            fit -= 1
        return max(fit, 0)

    def _cut(
        self, lines: list[tuple[int, Any]], starts: dict[int, int], fit: int
    ) -> tuple[list[Flowable], list[TextBlock]]:
        head: list[Flowable] = []
        rest: list[TextBlock] = []
        for number, paragraph in enumerate(self.paragraphs):
            mine = [line for owner, line in lines if owner == number]
            start = starts[number]
            if start + len(mine) <= fit:
                head.append(paragraph)
            elif start >= fit:
                rest.append(paragraph)
            else:
                cut = fit - start
                head.append(paragraph._part(mine[:cut], paragraph.spaceBefore, 0.0))
                rest.append(paragraph._part(mine[cut:], 0.0, paragraph.spaceAfter))
        return head, rest

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        """Three ways to break, in order: (1) text split so that two lines or more go over with the whole tail,
        when that leaves this page at most a third empty; (2) all the text and the 落款 here, the signatures on
        the next page (the content hash binds every page to them); (3) as (1) however empty this page stays."""
        lines = [(number, line) for number, p in enumerate(self.paragraphs) for line in p.lines(available_width)]
        starts: dict[int, int] = {}
        for position, (number, _line) in enumerate(lines):
            starts.setdefault(number, position)
        tail_height = self._tail_height(available_width, available_height)
        room = int((available_height + 1e-3) // LEADING)
        fit = self._fit(lines, starts, room)
        # The tail must fit on a fresh page with the lines carried over; it always does for a notice.
        if fit > 0 and available_height - fit * LEADING <= TEXT_HEIGHT / 3:
            head, rest = self._cut(lines, starts, fit)
            return [*head, _Ending(rest, self.tail, self.keep)]
        if len(self.tail) > 1 and lines:
            signoff = self.tail[0]
            text_height = len(lines) * LEADING
            signoff_height = signoff.wrap(available_width, available_height)[1] + signoff.getSpaceBefore()
            if text_height + signoff_height <= available_height + 1e-3:
                return [*self.paragraphs, *self.tail]
        if fit > 0 and tail_height + (len(lines) - fit) * LEADING <= TEXT_HEIGHT:
            head, rest = self._cut(lines, starts, fit)
            return [*head, _Ending(rest, self.tail, self.keep)]
        return []

    def draw(self) -> None:
        y = self.height
        for flowable in [*self.paragraphs, *self.tail]:
            _, height = flowable.wrap(self.width, self.height)
            y -= flowable.getSpaceBefore() + height
            flowable.drawOn(self.canv, 0, y)
            y -= flowable.getSpaceAfter()


# --- the document ---------------------------------------------------------------------------------------------


def _banner(notice: Notice) -> str:
    if notice.status is NoticeStatus.DRAFT:
        return "草稿　未经签署，不作为正式文书送达"
    if notice.status is NoticeStatus.VOIDED:
        when = f"于{chinese_moment(notice.voided_at)}" if notice.voided_at else ""
        reason = (notice.void_reason or "").strip().rstrip("。")
        return f"本通知书已{when}作废：{reason}"
    return ""


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
        f"你单位在劳动用工管理中存在以下{len(problems)}个问题，现将问题及整改要求通知如下："
        if problems
        else "本次体检未发现需要整改的问题。"
    )
    return [styles.body(f"{name}：", indent=False), styles.body(opening), styles.body(findings)]


def _problem_section(index: int, problem: Mapping[str, Any], styles: _Styles, *, with_person: bool) -> list[Flowable]:
    heading = styles.heading(f"{chinese_numeral(index)}、{_sentence(str(problem.get('description') or ''))}")
    basis = basis_text(problem.get("basis") or [])
    parts: list[TextBlock] = []
    note = str(problem.get("note") or "").strip()
    if note:
        parts.append(styles.labelled("协调员备注：", _sentence(note)))
    if basis:
        parts.append(styles.labelled("法律依据：", _sentence(basis)))
    parts.append(styles.labelled("整改要求：", _sentence(str(problem.get("requirement") or ""))))
    parts.append(styles.labelled("整改期限：", _deadline_text(problem)))
    if with_person:
        person, phone = _responsible(problem)
        parts.append(styles.labelled("整改负责人：", _responsible_text(person, phone) if person else "由你单位指定。"))
    # The heading and the first line of what follows are one unit: both move when they do not fit.
    first = parts[0]
    first.keep_lines = 1
    return [_HeadingWithFirstLine(heading, first), *parts[1:]]


def _after_problems(problems: Sequence[Mapping[str, Any]], styles: _Styles) -> tuple[list[Flowable], bool]:
    """What is said once after the list: the shared responsible person, the estimated-deadline note."""
    story: list[Flowable] = []
    people = {_responsible(problem) for problem in problems}
    per_problem = len(people) > 1
    if problems and not per_problem:
        person, phone = next(iter(people))
        if person:
            whole = _responsible_text(person, phone)
            if len(problems) > 1:
                whole = whole.removesuffix("。") + "，负责以上全部问题的整改。"
            story.append(styles.labelled("整改负责人：", whole))
        else:
            story.append(styles.body("请你单位指定以上问题的整改负责人，并在报送整改情况时注明。"))
    note = estimated_note(problems)
    if note:
        story.append(styles.body(note))
    return story, per_problem


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


def _closing(content: Mapping[str, Any], styles: _Styles) -> list[TextBlock]:
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
    return [styles.body(follow_up), styles.body(explain), styles.body("特此通知。")]


def _signature_table(
    notice: Notice, read_blob: BlobReader, styles: _Styles, content: Mapping[str, Any], width: float
) -> Table:
    fonts = styles.fonts
    small = 11.5

    def cell(text: str, font: str | None = None, align: str = "left") -> TextBlock:
        return TextBlock([(text, font or fonts.body)], size=small, leading=small * 1.5, align=align)  # type: ignore[arg-type]

    def image(sha256: str | None) -> Flowable:
        if notice.status is NoticeStatus.DRAFT or not sha256:
            return Spacer(1, 12 * mm)
        try:
            data = read_blob(sha256)
        except LaborCheckError as error:
            raise NoticePdfError(f"签名图像无法读取，不能生成整改通知书：{error}") from error
        return _signature_image(data, 40 * mm, 12 * mm)

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
    fixed = 24 * mm + 42 * mm + 20 * mm
    table = Table(rows, colWidths=[24 * mm, 42 * mm, 20 * mm, width - fixed], rowHeights=[7 * mm, 14 * mm, 14 * mm])
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
    return table


VERIFY_WIDTH: Final = 34 * mm


def _verification(notice: Notice, styles: _Styles, verification_url: str) -> list[Flowable]:
    """The short hash and, with a server address, the QR: once, beside the signatures on the last page."""
    fonts = styles.fonts
    size = 8.0
    lines = ["核验码（SHA-256）", short_hash(notice.content_hash or "")]
    lines.append("扫码核对签署内容" if verification_url else "可向出具单位核对")
    text: list[Flowable] = [
        TextBlock([(line, fonts.body)], size=size, leading=size * 1.5, align="center", color=GREY) for line in lines
    ]
    return ([_QRCode(verification_url, 20 * mm)] if verification_url else []) + text


def _signatures(
    notice: Notice, read_blob: BlobReader, styles: _Styles, content: Mapping[str, Any], verification_url: str
) -> Flowable:
    if notice.status is NoticeStatus.DRAFT or not notice.content_hash:
        table = _signature_table(notice, read_blob, styles, content, TEXT_WIDTH)
        table.spaceBefore = LEADING / 2
        return table
    beside = _verification(notice, styles, verification_url)
    signatures = _signature_table(notice, read_blob, styles, content, TEXT_WIDTH - VERIFY_WIDTH - 2 * mm)
    block = Table([[signatures, beside]], colWidths=[TEXT_WIDTH - VERIFY_WIDTH, VERIFY_WIDTH])
    block.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), styles.fonts.body),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (1, 0), (1, 0), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    block.spaceBefore = LEADING / 2
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
    issuing_body = str(content.get("issuing_body") or "")
    story: list[Flowable] = [
        OfficialHeader(fonts, mark=issuing_body, number=notice.number, title=NOTICE_TITLE, banner=_banner(notice))
    ]
    story += _opening(content, styles)
    problems = list(content.get("problems") or [])
    after, per_problem = _after_problems(problems, styles)
    for index, problem in enumerate(problems, start=1):
        story += _problem_section(index, problem, styles, with_person=per_problem)
    story += after
    issued_on = dt.date.fromisoformat(str(content.get("issued_on") or notice.issued_on.isoformat()))
    seal = "（印章）" if notice.status is NoticeStatus.DRAFT else ""
    tail = [
        Signoff(issuing_body, issued_on, fonts, seal_label=seal),
        _signatures(notice, read_blob, styles, content, verification_url),
    ]
    note = annex_note(content, styles.body)
    # The empty line before 附件说明 is not text: two lines of text still go over with the 落款.
    story.append(_Ending(_closing(content, styles) + note, tail, keep=2 + (len(note) > 0)))
    story += annex_flowables(content, fonts)
    watermark = None
    if notice.status is NoticeStatus.DRAFT:
        watermark = Watermark("草稿", Color(0.86, 0.86, 0.86))
    elif notice.status is NoticeStatus.VOIDED:
        watermark = Watermark("作废", Color(0.96, 0.78, 0.78))
    created = notice.signed_at or dt.datetime.combine(notice.issued_on, dt.time(0, 0), tzinfo=CHINA_TZ)
    enterprise = str((content.get("enterprise") or {}).get("name") or "")
    return build_pdf(
        story,
        decor=PageDecor(fonts=fonts, watermark=watermark),
        title=f"{NOTICE_TITLE}（{notice.number}）",
        author=issuing_body,
        subject=f"{enterprise}劳动用工法治体检整改通知书",
        created=created,
    )


__all__ = [
    "NOTICE_TITLE",
    "BlobReader",
    "NoticePdfError",
    "estimated_note",
    "render_notice",
    "short_hash",
]
