"""The served demo's wiring: the Procfile's processes, the stand-ins on their ports, production's variables."""

from __future__ import annotations

import shlex

from demo.processes import Ports
from demo.processes import demo_environment
from demo.processes import demo_processes
from dispatch.config import REPO_ROOT
from dispatch.config import Settings


def _procfile() -> dict[str, str]:
    lines = (REPO_ROOT / "Procfile").read_text(encoding="utf-8").splitlines()
    return {name.strip(): command.strip() for name, _, command in (line.partition(":") for line in lines if line.strip())}


def test_the_stand_ins_take_the_two_ports_after_the_web_app_unless_given() -> None:
    assert Ports.from_web(8080) == Ports(8080, 8081, 8082)
    assert Ports.from_web(8080, 9001, 9002) == Ports(8080, 9001, 9002)


def test_the_settings_the_processes_read_point_at_each_other() -> None:
    ports = Ports(8100, 8101, 8102)
    base = {"DISPATCH_DATABASE_URL": "sqlite:////tmp/x.sqlite3", "TWILIO_MESSAGING_SERVICE_SID": "MG1", "DISPATCH_JOBS": "inline"}
    settings = Settings.from_env(demo_environment(ports, base))
    assert settings.database_url == "sqlite:////tmp/x.sqlite3"
    assert settings.demo is True
    assert settings.jobs.mode == "rq"
    assert settings.public_url == "http://127.0.0.1:8100"
    assert settings.yandex.enabled and settings.yandex.base_url == "http://127.0.0.1:8101"
    assert settings.sms.enabled and settings.sms.api_base_url == "http://127.0.0.1:8102"
    assert settings.sms.messaging_service_sid is None and settings.sms.sender_id
    assert settings.secret_key, "the web app's workers share one session key"
    assert settings.ratelimit_storage.startswith("redis://")
    assert settings.planning.return_days_before_due > settings.planning.loan_days, "return pickups fire while one watches"


def test_the_processes_are_the_procfiles_plus_the_two_stand_ins() -> None:
    ports = Ports(8100, 8101, 8102)
    found = {p.name: p for p in demo_processes(ports, "python")}
    procfile = _procfile()
    assert set(found) == {"web", "worker", "cron", "yandex", "twilio"}
    assert set(procfile) - {"release"} <= set(found)
    for name in ("worker", "cron"):
        assert found[name].command == procfile[name]
    web = shlex.split(found["web"].command)
    assert web[:3] == ["python", "-m", "gunicorn"] and "127.0.0.1:8100" in web and "web:create_app()" in web
    assert "--port 8101" in found["yandex"].command
    twilio = found["twilio"].command
    assert "--port 8102" in twilio and "--callback-base-url http://127.0.0.1:8100" in twilio
    env = demo_environment(ports, {})
    assert env["YANDEX_TOKEN"] in found["yandex"].command
    assert env["TWILIO_ACCOUNT_SID"] in twilio and env["TWILIO_AUTH_TOKEN"] in twilio
