"""Evaluation against annotated corpora, beside a peer on the same documents.

`polnear` (quotes: Source/Cue/Content, peer textacy), `conll` (entities,
peer: the bare spaCy pipeline) and `timex` (TIMEX3 as in TempEval-3, peer
dateparser; `meantime` reads MEANTIME's CAT XML). `runner` parses each
document once in worker processes; `common` holds the shared scoring and
table helpers. The command line is `newsgraph eval`.
"""
