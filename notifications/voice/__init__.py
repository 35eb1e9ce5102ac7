"""The phone menu for ordering books by phone (Twilio Voice, keypad only), as pure functions from a request to TwiML."""
