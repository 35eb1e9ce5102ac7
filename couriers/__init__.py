"""The courier's side of a delivery: the roster, manifests, the courier's day, outcomes at the door, and Yandex's couriers."""
