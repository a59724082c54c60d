"""The resume rule is the class split: every `RecipeConfig` field must match the checkpoint's, every field `PretrainConfig`
adds may change on resume, and the monitor's settings must match only when they select the checkpoint."""
from dataclasses import asdict, fields

import pytest

from mtslvr.train import PretrainConfig, RecipeConfig, _check_resumable, pretrain

RECIPE = sorted(f.name for f in fields(RecipeConfig))
RUN = sorted({f.name for f in fields(PretrainConfig)} - set(RECIPE))


def _other(v):
    "A value unlike `v`, of its kind."
    if isinstance(v, bool):
        return not v
    if v is None:
        return True
    if isinstance(v, (int, float)):
        return v + 1
    if isinstance(v, list):
        return [*v, 'synthetic']
    return f'{v}_other'


def _saved_with(cfg:PretrainConfig, name:str) -> dict:
    saved = asdict(cfg)
    saved[name] = _other(saved[name])
    return saved


@pytest.mark.parametrize('name', RECIPE)
def test_recipe_settings_must_match(name):
    "A recipe setting shapes the weights, the draws or the meaning of the stored best value: a change is refused, named."
    cfg = PretrainConfig()
    with pytest.raises(ValueError, match=rf"resume: the checkpoint was made with other settings: .*'{name}'"):
        _check_resumable(_saved_with(cfg, name), cfg)


@pytest.mark.parametrize('name', RUN)
def test_run_settings_may_change(name):
    "How a run executes (where, how long, devices, logging, the monitor that only measures) may change on resume."
    cfg = PretrainConfig()
    _check_resumable(_saved_with(cfg, name), cfg)


@pytest.mark.parametrize('name', ['monitor', 'monitor_every', 'monitor_tasks', 'monitor_features'])
def test_monitor_settings_must_match_when_they_select(name):
    "Under select_by='monitor' the stored best value is a monitor accuracy, so the monitor's settings are part of the recipe."
    cfg = PretrainConfig(monitor=['synthetic'], select_by='monitor')
    with pytest.raises(ValueError, match=rf"'{name}'"):
        _check_resumable(_saved_with(cfg, name), cfg)


def test_the_docstrings_state_the_rule():
    "Each class says on which side of the rule its fields are."
    assert 'must match on resume' in RecipeConfig.__doc__ and 'may change on resume' in PretrainConfig.__doc__


def test_a_run_resumes_with_new_run_settings(tmp_path):
    "A real run resumed with a longer budget, more patience, another monitor and without synchronised batch norms."
    tiny = dict(clip_seconds=1.0, batch_size=4, synthetic_clips=24, iters_per_epoch=2, val_batches=1, progress=False, out_dir=str(tmp_path))
    pretrain(max_epochs=1, **tiny)
    s = pretrain(max_epochs=2, patience=7, sync_bn=False, monitor=['synthetic'], monitor_tasks=20, resume=True, **tiny)
    assert (s['epochs'], s['steps']) == (2, 4)
