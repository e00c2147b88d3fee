"""Settings and first run: who this laptop's coordinator is, where the district server is, language and fonts.

The coordinator profile is saved through ``app.audit.profile.save_profile`` (which validates the device code that
keeps notice numbers unique offline) and the rest through ``app.models.setting.save_settings``, in one
transaction: either everything the dialog shows is saved or nothing is. Nothing is synced until the coordinator
ticks the consent box for the server address shown (``server_consent``). A language change applies at once: the
translator is swapped and every open widget re-reads its texts.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.audit.profile import ProfileInput, save_profile
from app.models.setting import AppSettings, save_settings
from app.services.changes import OpChanges
from app.ui.context import UiContext
from app.ui.i18n import current_language, install_translator
from app.ui.tasks import error_message
from core.errors import LaborCheckError
from core.fonts import plan_notice_fonts, report_lines, summary_text

FONT_SUFFIXES = (".ttf", ".ttc")
"""TrueType only: ReportLab embeds TrueType outlines (a CFF .otf is skipped by the notice renderer)."""


class SettingsInvalid(LaborCheckError):
    pass


class ProfileForm(QWidget):
    """The coordinator's profile fields, shared by the settings and first-run dialogs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = QLineEdit()
        self.badge_no = QLineEdit()
        self.organisation = QLineEdit()
        self.district = QLineEdit()
        self.device_code = QLineEdit()
        self.device_code.setMaxLength(8)
        self.device_code.setValidator(QRegularExpressionValidator(QRegularExpression("[A-Za-z0-9]{0,8}"), self))
        self.device_code.textEdited.connect(self._upper)
        self.issuing_body = QLineEdit()
        self.notice_prefix = QLineEdit()
        self.labels = [QLabel() for _ in range(7)]
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        fields = (
            self.name,
            self.badge_no,
            self.organisation,
            self.district,
            self.device_code,
            self.issuing_body,
            self.notice_prefix,
        )
        for label, field in zip(self.labels, fields, strict=True):
            label.setBuddy(field)
            field.setMinimumWidth(320)
            form.addRow(label, field)
        self.retranslate()

    def _upper(self, text: str) -> None:
        if text != text.upper():
            position = self.device_code.cursorPosition()
            self.device_code.setText(text.upper())
            self.device_code.setCursorPosition(position)

    def retranslate(self) -> None:
        texts = (
            self.tr("姓名(&N)"),
            self.tr("协调员证号"),
            self.tr("所在单位"),
            self.tr("所属区县"),
            self.tr("设备编号(&D)"),
            self.tr("落款单位"),
            self.tr("文号前缀"),
        )
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        self.name.setPlaceholderText(self.tr("如：李明"))
        self.badge_no.setPlaceholderText(self.tr("如：DC-0107"))
        self.organisation.setPlaceholderText(self.tr("如：达州市达川区人力资源和社会保障局"))
        self.district.setPlaceholderText(self.tr("如：达川区"))
        self.device_code.setPlaceholderText(self.tr("区办公室分配的 1–8 位字母或数字，如 A3"))
        self.issuing_body.setPlaceholderText(self.tr("通知书落款，如：达州市达川区协调劳动关系三方办公室"))
        self.notice_prefix.setPlaceholderText(self.tr("文号中年份前的机关代字，如：达川人社体检"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def load(self, ctx: UiContext) -> None:
        coordinator = ctx.coordinator()
        if coordinator is None:
            return
        self.name.setText(coordinator.name)
        self.badge_no.setText(coordinator.badge_no)
        self.organisation.setText(coordinator.organisation)
        self.district.setText(coordinator.district)
        self.device_code.setText(coordinator.device_code)
        self.issuing_body.setText(coordinator.issuing_body)
        self.notice_prefix.setText(coordinator.notice_prefix)

    def value(self) -> ProfileInput:
        return ProfileInput(
            name=self.name.text(),
            device_code=self.device_code.text(),
            badge_no=self.badge_no.text(),
            organisation=self.organisation.text(),
            district=self.district.text(),
            issuing_body=self.issuing_body.text(),
            notice_prefix=self.notice_prefix.text(),
        )


class PreferencesForm(QWidget):
    """Server address with consent, interface language and the notice font."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.server_url = QLineEdit()
        self.server_url.textChanged.connect(self._server_changed)
        self.consent = QCheckBox()
        self.language = QComboBox()
        self.language.addItem("简体中文", "zh_CN")
        self.language.addItem("English", "en")
        self.font_path = QLineEdit()
        self.font_button = QPushButton()
        self.font_button.clicked.connect(self._choose_font)
        self.font_clear = QPushButton()
        self.font_clear.clicked.connect(self.font_path.clear)
        self.labels = [QLabel() for _ in range(3)]
        self.server_box, self.display_box = QGroupBox(), QGroupBox()
        server_form = QFormLayout(self.server_box)
        server_form.addRow(self.labels[0], self.server_url)
        self.consent_hint = QLabel()
        self.consent_hint.setWordWrap(True)
        self.consent_hint.setObjectName("hint")
        server_form.addRow("", self.consent)
        server_form.addRow(self.consent_hint)
        display_form = QFormLayout(self.display_box)
        display_form.addRow(self.labels[1], self.language)
        font_row = QHBoxLayout()
        font_row.addWidget(self.font_path, 1)
        font_row.addWidget(self.font_button)
        font_row.addWidget(self.font_clear)
        display_form.addRow(self.labels[2], font_row)
        self.font_status = QLabel()
        self.font_status.setWordWrap(True)
        self.font_status.setObjectName("hint")
        self.font_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        display_form.addRow(self.font_status)
        self.font_path.textChanged.connect(self.show_font_status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.server_box)
        layout.addWidget(self.display_box)
        self.retranslate()
        self._server_changed()

    def retranslate(self) -> None:
        self.server_box.setTitle(self.tr("区县服务器（同步）"))
        self.display_box.setTitle(self.tr("界面与通知书"))
        self.labels[0].setText(self.tr("服务器地址"))
        self.labels[1].setText(self.tr("界面语言"))
        self.labels[2].setText(self.tr("通知书字体"))
        self.server_url.setPlaceholderText(self.tr("如：https://tj.example.gov.cn（由区办公室提供）"))
        self.consent.setText(self.tr("我同意将本机的体检记录同步到上述服务器"))
        self.consent_hint.setText(self.tr("体检记录含劳动者个人信息。未勾选同意前，本机不会向任何服务器发送数据。"))
        self.font_path.setPlaceholderText(self.tr("留空：自动选用仿宋或宋体"))
        self.font_button.setText(self.tr("选择字体文件…"))
        self.font_clear.setText(self.tr("自动"))
        self.show_font_status()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def show_font_status(self) -> None:
        """Which face each role of the notice gets, and for each missing one what stands in and how to install it
        (the message is the app's own, in Chinese: it names Chinese fonts and install commands)."""
        roles = plan_notice_fonts(self.font_path.text().strip())
        missing = report_lines(roles)
        self.font_status.setToolTip("\n".join(missing))
        if not roles:
            self.font_status.setText(self.tr("未找到可用于整改通知书的中文字体，请安装中文字体或在上方指定字体文件。"))
        elif missing:
            self.font_status.setText(self.tr("通知书字体不全：") + "\n" + summary_text(roles))
        else:
            self.font_status.setText(self.tr("通知书所需字体齐全：") + "、".join(role.font.display for role in roles))

    def _server_changed(self) -> None:
        has_url = bool(self.server_url.text().strip())
        self.consent.setEnabled(has_url)
        if not has_url:
            self.consent.setChecked(False)

    def _choose_font(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("选择通知书字体"), "", self.tr("TrueType 字体 (*.ttf *.ttc)")
        )
        if name:
            self.font_path.setText(name)

    def load(self, settings: AppSettings) -> None:
        self.server_url.setText(settings.server_url)
        self.consent.setChecked(settings.server_consent and bool(settings.server_url))
        # The language on screen (what the coordinator sees is what the box says), normally the stored one.
        index = self.language.findData(current_language())
        self.language.setCurrentIndex(max(index, 0))
        self.font_path.setText(settings.notice_font)

    def value(self) -> dict[str, str | bool]:
        """The settings to store; raises :class:`SettingsInvalid` for an address or font file that cannot work."""
        url = self.server_url.text().strip().rstrip("/")
        if url and not url.lower().startswith(("https://", "http://")):
            raise SettingsInvalid(
                QCoreApplication.translate(
                    "PreferencesForm", "服务器地址应以 https:// 开头，如 https://tj.example.gov.cn"
                )
            )
        font = self.font_path.text().strip()
        if font:
            path = Path(font.partition("#")[0]).expanduser()  # "file.ttc#1" names a face in a collection
            if not path.is_file() or path.suffix.lower() not in FONT_SUFFIXES:
                raise SettingsInvalid(
                    QCoreApplication.translate(
                        "PreferencesForm", "字体文件不存在或不是 TrueType 字体（.ttf/.ttc）：{path}"
                    ).format(path=font)
                )
        return {
            "server_url": url,
            "server_consent": bool(url) and self.consent.isChecked(),
            "language": str(self.language.currentData()),
            "notice_font": font,
        }


MAX_DIALOG_HEIGHT = 700
"""A dialog on a 1366×768 laptop, with its title bar and the taskbar, has about this much height."""


def _apply_language(language: str) -> None:
    app = QCoreApplication.instance()
    if app is not None:
        install_translator(app, language)


class _ProfileDialog(QDialog):
    """What the settings and first-run dialogs share: non-blocking warnings and live retranslation."""

    last_error = ""

    def retranslate(self) -> None:
        raise NotImplementedError

    def _warn(self, title: str, text: str) -> None:
        """Show a warning without blocking the event loop (workers keep reporting back; tests keep running)."""
        self.last_error = text
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class SettingsDialog(_ProfileDialog):
    """设置: the coordinator profile, the server address with consent, the language and the notice font."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.last_error = ""
        self.profile_box = QGroupBox()
        self.profile = ProfileForm()
        QVBoxLayout(self.profile_box).addWidget(self.profile)
        self.preferences = PreferencesForm()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(self.intro)
        body_layout.addWidget(self.profile_box)
        body_layout.addWidget(self.preferences)
        body_layout.addStretch(1)
        scroll = QScrollArea()  # a long font hint must not push the buttons off a 768-pixel screen
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(720)
        self.profile.load(ctx)
        self.preferences.load(ctx.settings())
        self.retranslate()
        self.resize(720, min(body_layout.totalHeightForWidth(700) + 70, MAX_DIALOG_HEIGHT))

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("设置"))
        self.profile_box.setTitle(self.tr("协调员信息"))
        self.intro.setText(
            self.tr("以下信息用于整改通知书的落款、文号和签名；设备编号由区办公室分配，保证离线编号不重复。")
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("保存"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))

    def save(self) -> bool:
        """Store the profile and the settings in one transaction; shows the reason and returns False if refused."""
        before = self.ctx.settings().language
        try:
            changes = self.preferences.value()
            with self.ctx.session() as session:
                save_profile(session, self.profile.value())
                save_settings(session, first_run_done=True, **changes)
        except LaborCheckError as error:
            self._warn(self.windowTitle(), error_message(error, self.ctx.workspace.paths.logs))
            return False
        if changes["language"] != before:
            _apply_language(str(changes["language"]))
        self.ctx.publish(OpChanges(settings=True), self)
        return True

    def accept(self) -> None:
        if self.save():
            super().accept()


class FirstRunDialog(_ProfileDialog):
    """首次使用: asked when the data directory has no coordinator profile; the app needs one to issue notices."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.last_error = ""
        self.welcome = QLabel()
        self.welcome.setObjectName("pageTitle")
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.language_label = QLabel()
        self.language = QComboBox()
        self.language.addItem("简体中文", "zh_CN")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(self.language.findData(current_language()), 0))
        self.language.currentIndexChanged.connect(self._language_chosen)
        self.profile = ProfileForm()
        self.profile.load(ctx)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        language_row = QHBoxLayout()
        language_row.addWidget(self.language_label)
        language_row.addWidget(self.language)
        language_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.welcome)
        layout.addLayout(language_row)
        layout.addWidget(self.intro)
        layout.addWidget(self.profile)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("首次使用设置"))
        self.welcome.setText(self.tr("欢迎使用劳动用工法治体检"))
        self.language_label.setText(self.tr("界面语言"))
        self.intro.setText(
            self.tr(
                "开始体检前，请填写本机协调员的信息。姓名和落款单位会印在整改通知书上；"
                "设备编号由区办公室分配（如 A3），用于离线生成不重复的文号。以后可在“设置”中修改。"
            )
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("开始使用"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("退出"))

    def _language_chosen(self) -> None:
        _apply_language(str(self.language.currentData()))

    def reject(self) -> None:
        """Leaving without a profile: the interface goes back to the stored language (nothing was saved)."""
        stored = self.ctx.settings().language
        if current_language() != stored:
            _apply_language(stored)
        super().reject()

    def save(self) -> bool:
        try:
            with self.ctx.session() as session:
                save_profile(session, self.profile.value())
                save_settings(session, first_run_done=True, language=str(self.language.currentData()))
        except LaborCheckError as error:
            self._warn(self.windowTitle(), error_message(error, self.ctx.workspace.paths.logs))
            return False
        self.ctx.publish(OpChanges(settings=True), self)
        return True

    def accept(self) -> None:
        if self.save():
            super().accept()
