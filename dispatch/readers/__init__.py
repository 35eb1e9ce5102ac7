"""Readers as the service meets them: one lookup by card number, their standing, sign-in codes, the operator's desk, the map point, the reader's pages."""
