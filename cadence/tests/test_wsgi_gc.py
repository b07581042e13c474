"""The web workers' garbage collector is tuned as `cadence.wsgi` says: fewer, cheaper full
collections (what start-up made set aside)."""

import gc


def test_the_entry_point_tunes_the_collector():
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        from cadence import wsgi  # tunes it on import, as a worker starts

        wsgi.tune_garbage_collector()
        assert gc.get_threshold() == wsgi.WEB_GC_THRESHOLD
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
