"""The demo city and day (``python -m demo``): real Almaty places, a seeded population, a planned day, local stand-ins.

Nothing here is loaded by the web app or the worker; the demo drives them from outside.
"""
