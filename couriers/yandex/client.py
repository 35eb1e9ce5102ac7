"""The Yandex Delivery client as configured: the real host in production, the local stand-in in tests and the demo."""

from __future__ import annotations

from dispatch.config import YandexSettings
from dispatch.errors import DispatchError
from integrations.yandex.client import YandexDeliveryClient


def client_for(settings: YandexSettings) -> YandexDeliveryClient:
    """A client for ``settings``; booking without a base URL and token is refused with a clear error."""
    if not settings.enabled or settings.base_url is None or settings.token is None:
        raise DispatchError("yandex_not_configured")
    return YandexDeliveryClient(settings.base_url, settings.token, language=settings.language, timeout_s=settings.timeout_s)
