"""Twilio (SMS and Voice): the client the sender uses, and a faithful local Twilio for tests and the demo."""
