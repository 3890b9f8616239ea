from __future__ import annotations

import pytest

from cardscan.errors import BadConfigError
from cardscan.settings import Settings, load_settings, setting_help


def test_defaults_when_nothing_set(tmp_path):
    s = load_settings({"data": str(tmp_path)}, environ={})
    assert s.engine == "rapidocr"
    assert s.data_dir == tmp_path


def test_precedence_file_env_flags(tmp_path):
    (tmp_path / "cardscan.toml").write_text(
        'engine = "tesseract"\nport = 9000\nmax_upload_mb = 5\n'
    )
    env = {"CARDSCAN_PORT": "9100", "CARDSCAN_DATA": str(tmp_path)}
    s = load_settings({"max_upload_mb": 7}, environ=env)
    assert s.engine == "tesseract"  # from the file
    assert s.port == 9100  # env beats file
    assert s.max_upload_mb == 7  # flag beats all


@pytest.mark.parametrize(
    "env, message",
    [
        ({"CARDSCAN_PORT": "eighty"}, "'port' must be a int"),
        ({"CARDSCAN_FEED_PRIVATE_NOTES": "maybe"}, "'feed_private_notes' must be a bool"),
    ],
)
def test_bad_values_name_the_setting(tmp_path, env, message):
    with pytest.raises(BadConfigError, match=message):
        load_settings({"data": str(tmp_path)}, environ=env)


def test_unknown_key_in_file(tmp_path):
    (tmp_path / "cardscan.toml").write_text("enginee = 'x'\n")
    with pytest.raises(BadConfigError, match="unknown setting 'enginee'"):
        load_settings({"data": str(tmp_path)}, environ={})


def test_every_setting_has_help():
    names = [name for name, _, _ in setting_help()]
    assert names == [f for f in Settings.__dataclass_fields__]
    assert all(help_text.strip() for _, _, help_text in setting_help())


def test_smtp_settings_from_the_environment(tmp_path):
    env = {
        "CARDSCAN_SMTP_HOST": "smtp.example.org",
        "CARDSCAN_SMTP_PORT": "2525",
        "CARDSCAN_SMTP_TLS": "none",
        "CARDSCAN_SMTP_PASSWORD": "hunter2",
    }
    s = load_settings({"data": str(tmp_path)}, environ=env)
    assert (s.smtp_host, s.smtp_port, s.smtp_tls, s.smtp_password) == (
        "smtp.example.org",
        2525,
        "none",
        "hunter2",
    )


def test_the_settings_command_never_prints_the_smtp_password(tmp_path):
    from click.testing import CliRunner

    from cardscan.cli import cli

    env = {"CARDSCAN_SMTP_PASSWORD": "hunter2", "CARDSCAN_SMTP_USER": "ana"}
    result = CliRunner().invoke(cli, ["--data", str(tmp_path), "settings"], env=env)
    assert result.exit_code == 0, result.output
    assert "hunter2" not in result.output
    assert "smtp_password = '(set, not shown)'" in result.output
    assert "smtp_user = 'ana'" in result.output
