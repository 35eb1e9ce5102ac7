"""The local Twilio lists its messages as Twilio does, so the real client's ``messages.list`` reads them."""

from __future__ import annotations

import requests

from integrations.twilio.client import make_client
from integrations.twilio.client import send_sms
from integrations.twilio.standin import TwilioFake


def test_the_real_client_lists_the_messages_newest_first_filtered_and_limited() -> None:
    with TwilioFake() as fake:
        client = make_client(fake.account_sid, fake.auth_token, fake.url)
        for n, to in enumerate(("+77010000001", "+77010000002", "+77010000001")):
            send_sms(client, to=to, body=f"текст {n}", status_callback=None, sender_id="KITAPHANA")
        listed = client.messages.list(limit=20)
        assert [m.body for m in listed] == ["текст 2", "текст 1", "текст 0"]
        assert [m.body for m in client.messages.list(to="+77010000001")] == ["текст 2", "текст 0"]
        assert [m.body for m in client.messages.list(limit=1)] == ["текст 2"]
        assert listed[0].date_created is not None and listed[0].status == "queued"


def test_the_list_needs_the_accounts_credentials() -> None:
    with TwilioFake() as fake:
        answer = requests.get(f"{fake.url}/2010-04-01/Accounts/{fake.account_sid}/Messages.json", timeout=5)
        assert answer.status_code == 401
        wrong = requests.get(
            f"{fake.url}/2010-04-01/Accounts/ACwrong/Messages.json", auth=(fake.account_sid, fake.auth_token), timeout=5
        )
        assert wrong.status_code == 404
