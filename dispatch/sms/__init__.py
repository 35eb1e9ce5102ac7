"""SMS to readers: queued with the change that causes them, sent by RQ jobs through Twilio, receipts and opt-outs."""
