"""A local stand-in for Yandex Delivery's cargo-claims v2 API: same paths, shapes, statuses, errors and idempotency.

The client is pointed at it by configuration only (``base_url="http://127.0.0.1:PORT"``). It keeps
claims in memory and moves them only when told: :meth:`~.server.YandexSimulator.advance` takes one
step, :meth:`~.server.YandexSimulator.play` runs a claim to its end (or to a status, or into a
failure), and ``--step-s`` makes a demo server tick every claim by itself. Every step bumps the claim
``version``, is written to ``claims/journal`` and, when the claim has a ``callback_url``, is pushed to
it the way Yandex does (a POST to the URL with ``updated_ts=…&claim_id=…`` appended as is). Faults can
be queued: an error status (500, 429 with ``Retry-After``…), before or after the work is done; a stall
past the client's timeout; ``error_messages`` inside a 200 on create; and the failure statuses
``estimating_failed``, ``performer_not_found``, ``cancelled_by_taxi`` and ``failed``. Every request
is recorded.

Where the brief leaves Yandex's behaviour open the simulator takes the strict reading and says so:
one ``source`` per claim; a late accept answers 409 ``offer_expired`` and fails the claim; no
tracking links for a claim created with ``skip_client_notify``; performer position 404 without a
courier. The claim-level statuses between readers of a multi-point claim are a guess the brief
cannot settle: ``delivered`` after each reader served, ``pickuped`` again after a reader skipped while
others remain, and ``returned`` before ``returned_finish``. Run it by hand with ``python -m integrations.yandex.standin --port 8765 --step-s 5``.

One concern a module: ``clock`` (time), ``settings`` (what is read live from the server), ``wire``
(request and answer shapes), ``geo`` and ``pricing``, ``records`` and ``statuses`` (the claims held
and what their statuses mean), ``validation`` (the 400s of create), ``journal``, ``callbacks``,
``faults``, ``book`` (the store, where every status change is stamped), ``lifecycle`` (the state
machine), ``views`` (claims as JSON), ``api`` (the endpoints), ``control`` (the ``/_simulator/``
hooks), ``routes`` (the HTTP surface), ``handler`` (the socket side), ``server`` and ``__main__``.
"""
