"""Routes handed to Yandex Delivery: claim bodies from planned routes, booking, and following each claim to its end."""
