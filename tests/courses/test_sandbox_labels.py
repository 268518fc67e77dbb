"""Every scenario names its steps and mistakes for the digihelper and the trainer.

``courses.sandboxes.step_label`` and ``error_label`` fall back to the raw key (a page for
helpers must never fail), so a scenario without labels would show "wrong_document" to a
digihelper. These tests hold every scenario to naming all of them.
"""

import pytest

from courses import sandboxes


@pytest.mark.parametrize("key", sorted(sandboxes.SCENARIOS))
def test_every_screen_has_an_easy_dutch_step_label(key):
    module = sandboxes.scenario(key)
    for screen in module.SCREENS:
        label = sandboxes.step_label(key, screen)
        assert label != screen, f"{key}: no STEP_LABELS entry for screen {screen!r}"


@pytest.mark.parametrize("key", sorted(sandboxes.SCENARIOS))
def test_every_error_kind_has_a_short_label_for_helpers(key):
    module = sandboxes.scenario(key)
    kinds = [kind for kind in module.MESSAGES if kind]
    assert kinds, f"{key}: no error kinds"
    for kind in kinds:
        label = sandboxes.error_label(key, kind)
        assert label != kind, f"{key}: no ERROR_LABELS entry for {kind!r}"


@pytest.mark.parametrize("key", sorted(sandboxes.SCENARIOS))
def test_every_scenario_has_a_title_for_helpers(key):
    assert sandboxes.scenario_title(key) != key
