"""The engine: one patient's scenario in, every claim line and who pays it out.

Data flows one way: scenario -> ``schedule`` (dated sessions) -> ``claims`` (lines laid out
and priced from ``terms``) -> ``adjudication`` (the rules of ``rules``, line by line) ->
``compare`` (both options, approved and denied, three price levels). ``coverage`` sits
beside it. ``evaluate`` runs the same line step on arrays for many draws or patients.
Nothing here imports a face.
"""
