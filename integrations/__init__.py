"""Adapters to outside services, each with a faithful local stand-in for tests."""
