"""The training step's hot path never reads device values back to the host, checked on a CPU.

On a GPU every host read of a device tensor (`.item()`, `.tolist()`, `bool(t)`, `nonzero`, `unique`, boolean-mask indexing,
`.cpu()`) waits for all queued work. `DeviceSide` stands for a tensor on an accelerator: it propagates through every operation
on it, as device residence does, and records each of those reads. Plans and parameters drawn on the host are plain tensors.
The compiled CPU loops (`mtslvr.kernels`) never run on an accelerator, so the checks run with them switched off.
"""

import pytest
import torch

from mtslvr.augment import AUGMENTATIONS, TwoViewAugment, _apply_plan, draw_params, sample_plan
from mtslvr.core import make_generator
from mtslvr.kernels import use_kernels

READS = {'cpu', 'tolist', 'item', '__bool__', '__int__', '__float__', '__index__', 'nonzero', 'unique', 'numpy', 'masked_select'}


class DeviceSide(torch.Tensor):
    "A tensor standing for one on an accelerator: records every operation that would make the host wait for its values."
    reads: list = []

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        name = getattr(func, '__name__', '')
        index = args[1] if name in ('__getitem__', '__setitem__') and len(args) > 1 else None
        index = index if isinstance(index, tuple) else (index,)
        if name in READS or any(isinstance(i, torch.Tensor) and i.dtype == torch.bool for i in index):
            cls.reads.append(name)
        out = super().__torch_function__(func, types, args, kwargs or {})
        return out.as_subclass(torch.Tensor) if name == 'cpu' else out  # on the host from here on


def on_device(t):
    return t.as_subclass(DeviceSide)


@pytest.fixture
def reads():
    DeviceSide.reads = []
    with use_kernels(False):  # the torch operations an accelerator runs
        yield DeviceSide.reads


def test_detector_sees_reads(reads):
    "The detector can fail: a boolean read and a masked selection of device values are recorded."
    x = on_device(torch.randn(4, 100))
    bool((x > 0).any())
    x[x > 0]
    assert reads == ['__bool__', '__getitem__']


def batch(B=8, L=16_000, seed=2):
    g = make_generator(seed)
    x = torch.randn(B, L, generator=g) * 0.3
    return x, sample_plan(B, len(AUGMENTATIONS), g), draw_params(AUGMENTATIONS, B, L, g)


def test_host_plan_applies_without_reads(reads):
    "A plan and parameters drawn on the host (the module's generator lives there) are applied to device clips without a read."
    x, plan, params = batch()
    out = _apply_plan(on_device(x), plan, params)
    assert reads == []
    torch.testing.assert_close(out.as_subclass(torch.Tensor), _apply_plan(x, plan, params))


def test_device_plan_is_read_once(reads):
    "A plan drawn on the device (a caller's CUDA generator) is fetched to the host in one transfer, not once per slot and group."
    x, plan, params = batch()
    _apply_plan(on_device(x), on_device(plan), {a: {k: on_device(v) for k, v in d.items()} for a, d in params.items()})
    assert reads == ['cpu']


def test_two_views_of_checked_clips_without_reads(reads):
    "TwoViewAugment on clips the caller has checked draws on the host and reads nothing back; unchecked clips are read once."
    x = on_device(batch()[0])
    TwoViewAugment(seed=0)(x, checked=True)
    assert reads == []
    TwoViewAugment(seed=0)(x)
    assert reads and set(reads) <= {'__bool__'}


@pytest.mark.parametrize('variant', ['mt_parallel', 'cont_only'])
def test_train_step_without_reads(reads, variant):
    "A training step on checked clips reads nothing back from what flows from them: augmentation, input features, network, losses."
    from mtslvr.framework import MTSLVR
    from mtslvr.train import train_step
    m = MTSLVR(variant, init_seed=0)
    opt = torch.optim.Adam(m.parameters(), 1e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10)
    out = train_step(m, opt, sched, on_device(batch(4)[0]), checked=True)
    assert reads == []
    assert all(torch.isfinite(v.as_subclass(torch.Tensor)) for k, v in out.items() if k != 'map' or variant != 'cont_only')
