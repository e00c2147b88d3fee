"""Settings and first run: the profile and the settings are saved together, read back, and refused when invalid."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app.audit.profile import active_coordinator
from app.models import Coordinator, load_settings
from app.services.workspace import Workspace
from app.ui.context import UiContext
from app.ui.settings_dialog import FirstRunDialog, SettingsDialog
from core import fonts as fonts_module


def _settings(qtbot: QtBot, ui_ctx: UiContext) -> SettingsDialog:
    dialog = SettingsDialog(ui_ctx)
    qtbot.addWidget(dialog)
    return dialog


def test_settings_round_trip_through_the_database(
    qtbot: QtBot, ui_ctx: UiContext, ws: Workspace, coordinator: Coordinator, tmp_path: Path
) -> None:
    dialog = _settings(qtbot, ui_ctx)
    assert dialog.profile.name.text() == "李明"
    assert dialog.profile.device_code.text() == "A3"
    font = tmp_path / "fangsong.ttf"
    font.write_bytes(b"\x00\x01\x00\x00")
    dialog.profile.name.setText("王刚")
    dialog.profile.badge_no.setText("DC-0200")
    dialog.profile.device_code.setText("B7")
    dialog.profile.notice_prefix.setText("通川人社体检")
    dialog.preferences.server_url.setText("https://tj.example.gov.cn/")
    dialog.preferences.consent.setChecked(True)
    dialog.preferences.font_path.setText(str(font))
    with qtbot.waitSignal(ui_ctx.events.changed) as changed:
        dialog.accept()
    assert changed.args is not None
    assert changed.args[0].kinds() == ["settings"]
    assert changed.args[1] is dialog
    assert dialog.result() == QDialog.DialogCode.Accepted

    with ws.db.session() as session:
        saved = active_coordinator(session)
        assert saved is not None
        assert (saved.name, saved.badge_no, saved.device_code, saved.notice_prefix) == (
            "王刚",
            "DC-0200",
            "B7",
            "通川人社体检",
        )
        settings = load_settings(session)
        assert settings.server_url == "https://tj.example.gov.cn"
        assert settings.server_consent is True
        assert settings.notice_font == str(font)
        assert settings.first_run_done is True

    again = _settings(qtbot, ui_ctx)
    assert again.profile.name.text() == "王刚"
    assert again.preferences.server_url.text() == "https://tj.example.gov.cn"
    assert again.preferences.consent.isChecked()
    assert again.preferences.font_path.text() == str(font)


def test_consent_is_withdrawn_when_the_server_address_is_cleared(
    qtbot: QtBot, ui_ctx: UiContext, ws: Workspace, coordinator: Coordinator
) -> None:
    dialog = _settings(qtbot, ui_ctx)
    dialog.preferences.server_url.setText("https://tj.example.gov.cn")
    dialog.preferences.consent.setChecked(True)
    dialog.preferences.server_url.clear()
    assert not dialog.preferences.consent.isEnabled()
    assert not dialog.preferences.consent.isChecked()
    dialog.preferences.server_url.setText("https://other.example.gov.cn")
    assert dialog.save()
    with ws.db.session() as session:
        assert load_settings(session).server_consent is False


def test_an_invalid_device_code_or_address_is_refused_and_nothing_is_saved(
    qtbot: QtBot, ui_ctx: UiContext, ws: Workspace, coordinator: Coordinator
) -> None:
    dialog = _settings(qtbot, ui_ctx)
    dialog.profile.device_code.setText("")
    dialog.profile.name.setText("王刚")
    assert not dialog.save()
    assert "设备编号" in dialog.last_error
    dialog.profile.device_code.setText("A3")
    dialog.preferences.server_url.setText("tj.example.gov.cn")
    assert not dialog.save()
    assert "https://" in dialog.last_error
    with ws.db.session() as session:
        assert active_coordinator(session).name == "李明"  # type: ignore[union-attr]
        assert load_settings(session).server_url == ""


def test_device_code_is_typed_in_capitals(qtbot: QtBot, ui_ctx: UiContext, coordinator: Coordinator) -> None:
    dialog = _settings(qtbot, ui_ctx)
    dialog.profile.device_code.clear()
    qtbot.keyClicks(dialog.profile.device_code, "c9")
    assert dialog.profile.device_code.text() == "C9"


def test_first_run_creates_the_coordinator_profile(qtbot: QtBot, ui_ctx: UiContext, ws: Workspace) -> None:
    assert ui_ctx.coordinator() is None
    dialog = FirstRunDialog(ui_ctx)
    qtbot.addWidget(dialog)
    assert not dialog.save()
    assert "姓名" in dialog.last_error
    dialog.profile.name.setText("李明")
    dialog.profile.device_code.setText("A3")
    dialog.profile.organisation.setText("达川区人力资源和社会保障局")
    dialog.profile.district.setText("达川区")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    coordinator = ui_ctx.coordinator()
    assert coordinator is not None
    assert (coordinator.name, coordinator.device_code, coordinator.district) == ("李明", "A3", "达川区")
    assert coordinator.issuing_body == "达川区人力资源和社会保障局"
    with ws.db.session() as session:
        settings = load_settings(session)
        assert settings.first_run_done is True
        assert settings.language == "zh_CN"


def test_the_settings_page_says_which_notice_font_is_missing_and_how_to_install_it(
    qtbot: QtBot, ui_ctx: UiContext, coordinator: Coordinator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fonts_module, "default_search_dirs", lambda: [tmp_path / "empty"])
    dialog = _settings(qtbot, ui_ctx)
    assert "未找到可用于整改通知书的中文字体" in dialog.preferences.font_status.text()
    windows = tmp_path / "Fonts"
    windows.mkdir()
    for name in ("simfang.ttf", "simhei.ttf", "simkai.ttf", "simsun.ttc"):
        (windows / name).write_bytes(b"")
    monkeypatch.setattr(fonts_module, "default_search_dirs", lambda: [windows])
    dialog.preferences.show_font_status()
    text = dialog.preferences.font_status.text()
    assert "缺少方正小标宋简体" in text
    assert "安装方法" in text  # how to install it, for this system, and every detail in the tooltip
    assert "FZXBSJW.TTF" in dialog.preferences.font_status.toolTip()
    assert "仿宋" not in text.split("缺少方正小标宋简体")[0]  # 仿宋, 黑体, 楷体, 宋体 are there
    chosen = tmp_path / "chosen.ttf"
    chosen.write_bytes(b"\x00\x01\x00\x00")
    dialog.preferences.font_path.setText(str(chosen))  # a chosen file serves every role
    assert "齐全" in dialog.preferences.font_status.text()
