"""Bad input to the augmentations and the 3-channel features: every case raises a ValueError naming the argument.

Fast and CPU-only. Valid input gives exactly what the unchecked implementations give, and a `(B, 1, L)` batch comes
back as `(B, L)`.
"""

import pytest
import torch

import mtslvr.augment as A
import mtslvr.augmentations as AU
from mtslvr.augment import (AUGMENTATIONS, AugmentConfig, TwoViewAugment, add_noise, apply_plan, coloured_noise, draw_params,
                            fade, fast_ratios, min_length, mixed_noise, pitch_shift, sample_params, stft, time_masking,
                            time_shift, time_stretch, white_noise)
from mtslvr.core import make_generator
from mtslvr.features import ThreeChannelSpec, three_channel_spec

B, L, SR = 3, 4096, 16_000
NAN, INF = float('nan'), float('inf')


def clips(b=B, n=L, seed=0):
    return torch.randn(b, n, generator=make_generator(seed)) * 0.3
def t(*v, **kw):
    return torch.tensor(v, **kw)


def good(aug, b=B):
    "Valid parameters of `aug` for `b` clips of L samples."
    return dict(pitch_shift=dict(ratio_num=t(5, 4, 5)[:b], ratio_den=t(4, 5, 4)[:b]),
                fade=dict(fade_in=t(100, 0, 7)[:b], fade_out=t(3, 50, 0)[:b], shape=t(0, 1, 2)[:b]),
                white_noise=dict(snr_db=t(10., 3., 30.)[:b], f_decay=t(-1., 0., 2.)[:b],
                                 noise=torch.randn(b, SR, generator=make_generator(1))),
                time_stretch=dict(rate=t(0.5, 1.0, 1.37, dtype=torch.float64)[:b]),
                time_masking=dict(start=t(0, 100, 4000)[:b], width=t(10, 0, 500)[:b]),
                time_shift=dict(shift=t(0, 7, -2000)[:b]))[aug]


FNS = dict(pitch_shift=pitch_shift, fade=fade, white_noise=add_noise, time_stretch=time_stretch, time_masking=time_masking,
           time_shift=time_shift)
IMPLS = dict(pitch_shift='_pitch_shift', fade='_fade', white_noise='_add_noise', time_stretch='_time_stretch',
             time_masking='_time_masking', time_shift='_time_shift')


def call(aug, x=None, **over):
    "Call the public function of `aug` on `x` (default: valid clips) with valid parameters, some replaced by `over`."
    return FNS[aug](clips() if x is None else x, **{**good(aug), **over})


# ---- the waveform argument, for every public function that takes waveforms

def _nan():
    x = clips()
    x[1, 17] = NAN
    return x
def _inf():
    x = clips()
    x[2, -1] = -INF
    return x

WAVES = dict(  # case -> (bad waveforms, words of the message)
    nan=(_nan, 'expected finite values, got NaN or inf in clip(s) [1]'),
    inf=(_inf, 'expected finite values, got NaN or inf in clip(s) [2]'),
    one_dim=(lambda: clips()[0], 'expected shape (B, L) or (B, 1, L)'),
    four_dim=(lambda: clips()[:, None, None], 'expected shape (B, L) or (B, 1, L)'),
    stereo=(lambda: torch.stack([clips(), clips()], 1), 'expected mono audio'),
    empty_batch=(lambda: clips()[:0], 'expected at least one clip, got an empty batch'),
    integers=(lambda: (clips() * 100).long(), 'expected a floating-point tensor'),
    not_a_tensor=(lambda: clips().tolist(), 'expected a torch.Tensor'),
)
WAVE_CALLS = dict(  # public function -> how to call it on waveforms `x` (B rows)
    pitch_shift=lambda x: call('pitch_shift', x), fade=lambda x: call('fade', x), add_noise=lambda x: call('white_noise', x),
    white_noise=lambda x: white_noise(x, **good('white_noise')), mixed_noise=lambda x: mixed_noise(x, **good('white_noise')),
    time_stretch=lambda x: call('time_stretch', x), time_masking=lambda x: call('time_masking', x),
    time_shift=lambda x: call('time_shift', x), stft=lambda x: stft(x, 256, 64),
    apply_plan=lambda x: apply_plan(x, torch.zeros(B, 1, dtype=torch.long), draw_params(AUGMENTATIONS, B, L, make_generator(0))),
    three_channel_spec=lambda x: three_channel_spec(x),
)


@pytest.mark.parametrize('case', WAVES)
@pytest.mark.parametrize('fn', WAVE_CALLS)
def test_bad_waveform(fn, case):
    make, words = WAVES[case]
    with pytest.raises(ValueError, match=r'^x: ' + _re(words)):
        WAVE_CALLS[fn](make())


def test_bad_base_noise():
    with pytest.raises(ValueError, match=r'^base: expected finite values'):
        coloured_noise(torch.full((2, SR), NAN), t(0., 1.))
    with pytest.raises(ValueError, match=r'^base: expected clips of at least 2 samples, got 1'):
        coloured_noise(torch.randn(2, 1), t(0., 1.))


SHORT = dict(  # function -> (too-short call, shortest length in the message)
    pitch_shift=(lambda: call('pitch_shift', clips(n=249)), 250),
    time_stretch=(lambda: call('time_stretch', clips(n=2047)), 2048),
    time_stretch_n_fft=(lambda: call('time_stretch', clips(n=1000), n_fft=1024, hop=256), 1024),
    stft=(lambda: stft(clips(n=128), 256, 64), 129),
    fade=(lambda: call('fade', clips(n=0)), 1),
    time_masking=(lambda: call('time_masking', clips(n=0)), 1),
    time_shift=(lambda: call('time_shift', clips(n=0)), 1),
    apply_plan=(lambda: apply_plan(clips(n=1000), torch.zeros(B, 1, dtype=torch.long), draw_params(AUGMENTATIONS, B, 1000, make_generator(0))), 2048),
    three_channel_spec=(lambda: three_channel_spec(clips(n=512)), 513),
)


@pytest.mark.parametrize('fn', SHORT)
def test_too_short(fn):
    f, n = SHORT[fn]
    with pytest.raises(ValueError, match=rf'^x: expected clips of at least {n} samples'):
        f()


def _re(words):
    return ''.join('\\' + c if c in '()[]{}.*+?^$|\\' else c for c in words)


# ---- per-clip parameters: exactly B values, valid ones

COUNT = [(aug, k, n) for aug in FNS for k in good(aug) if k != 'noise' for n in (B - 1, B + 1)]


@pytest.mark.parametrize('aug,param,n', COUNT, ids=[f'{a}-{k}-{n}' for a, k, n in COUNT])
def test_wrong_number_of_values(aug, param, n):
    v = good(aug)[param]
    v = torch.cat([v, v])[:n]
    with pytest.raises(ValueError, match=rf'^{param}: expected {B} values, one per clip \(shape \({B},\)\), got {n} '):
        call(aug, **{param: v})


@pytest.mark.parametrize('aug', FNS)
def test_values_not_a_row(aug):
    k, v = next((k, v) for k, v in good(aug).items() if k != 'noise')
    with pytest.raises(ValueError, match=rf'^{k}: expected {B} values, one per clip \(shape \({B},\)\), got {B} \(shape \({B}, 1\)\)'):
        call(aug, **{k: v[:, None]})
    with pytest.raises(ValueError, match=rf'^{k}: expected {B} values, one per clip \(shape \({B},\)\), got int'):
        call(aug, **{k: 1})


def test_noise_rows():
    with pytest.raises(ValueError, match=rf'^noise: expected {B} rows \(one per clip\), got 2'):
        call('white_noise', noise=torch.randn(2, SR))
    with pytest.raises(ValueError, match=r'^noise: expected finite values'):
        call('white_noise', noise=torch.full((B, SR), NAN))


VALUES = dict(  # case -> (augmentation, parameter, bad values, words of the message)
    ratio_zero=('pitch_shift', 'ratio_num', t(5, 0, 5), 'positive integers, got [0] in clip(s) [1]'),
    ratio_fraction=('pitch_shift', 'ratio_den', t(4., 5.5, 4.), 'positive integers, got [5.5]'),
    ratio_negative=('pitch_shift', 'ratio_den', t(4, 5, -4), 'positive integers, got [-4] in clip(s) [2]'),
    fade_in_negative=('fade', 'fade_in', t(100, -1, 7), 'lengths >= 0 samples, got [-1]'),
    fade_out_nan=('fade', 'fade_out', t(3., NAN, 0.), 'lengths >= 0 samples, got [nan]'),
    shape_3=('fade', 'shape', t(0, 1, 3), 'indices 0, 1 or 2 into FADE_SHAPES, got [3]'),
    shape_negative=('fade', 'shape', t(-1, 1, 2), 'indices 0, 1 or 2 into FADE_SHAPES, got [-1]'),
    snr_nan=('white_noise', 'snr_db', t(10., NAN, 30.), 'dB values above -inf'),
    snr_minus_inf=('white_noise', 'snr_db', t(10., 3., -INF), 'dB values above -inf'),
    decay_inf=('white_noise', 'f_decay', t(INF, 0., 2.), 'finite values, got [inf] in clip(s) [0]'),
    rate_zero=('time_stretch', 'rate', t(0.5, 0., 1.), 'rates in (0, 9)'),
    rate_negative=('time_stretch', 'rate', t(0.5, -1., 1.), 'rates in (0, 9)'),
    rate_nan=('time_stretch', 'rate', t(0.5, NAN, 1.), 'rates in (0, 9)'),
    rate_too_fast=('time_stretch', 'rate', t(0.5, 9., 1.), 'rates in (0, 9)'),  # 1 + 4096 // 512 frames
    start_nan=('time_masking', 'start', t(0., NAN, 5.), 'finite values'),
    width_inf=('time_masking', 'width', t(0., INF, 5.), 'finite values'),
    shift_nan=('time_shift', 'shift', t(0., 1., NAN), 'finite values'),
)


@pytest.mark.parametrize('case', VALUES)
def test_bad_values(case):
    aug, k, v, words = VALUES[case]
    with pytest.raises(ValueError, match=rf'^{k}: expected ' + _re(words)):
        call(aug, **{k: v})


def test_coloured_noise_decay():
    with pytest.raises(ValueError, match=r'^f_decay: expected 2 values, one per clip'):
        coloured_noise(torch.randn(2, SR), t(0., 1., 2.))
    with pytest.raises(ValueError, match=r'^f_decay: expected finite values'):
        coloured_noise(torch.randn(2, SR), t(0., NAN))


OPTIONS = dict(  # case -> (call, argument, words of the message)
    stretch_n_fft=(lambda: call('time_stretch', n_fft=1), 'n_fft', 'an integer >= 2, got 1'),
    stretch_hop_zero=(lambda: call('time_stretch', hop=0), 'hop', 'an integer in [1, 2048]'),
    stretch_hop_big=(lambda: call('time_stretch', hop=4096), 'hop', 'an integer in [1, 2048] (at most n_fft), got 4096'),
    stft_n_fft=(lambda: stft(clips(), 0, 64), 'n_fft', 'an integer >= 1, got 0'),
    stft_hop=(lambda: stft(clips(), 256, 1.5), 'hop', 'an integer >= 1, got 1.5'),
)


@pytest.mark.parametrize('case', OPTIONS)
def test_bad_options(case):
    f, name, words = OPTIONS[case]
    with pytest.raises(ValueError, match=rf'^{name}: expected ' + _re(words)):
        f()


# ---- sample rates, wherever one is accepted

RATES = dict(  # case -> (call with `sr`, smallest allowed rate)
    pitch_shift=(lambda sr: call('pitch_shift', sample_rate=sr), 2048),
    fade=(lambda sr: call('fade', sample_rate=sr), 1),
    add_noise=(lambda sr: call('white_noise', sample_rate=sr), 1),
    time_stretch=(lambda sr: call('time_stretch', sample_rate=sr), 1),
    time_masking=(lambda sr: call('time_masking', sample_rate=sr), 1),
    time_shift=(lambda sr: call('time_shift', sample_rate=sr), 1),
    coloured_noise=(lambda sr: coloured_noise(torch.randn(2, 100), t(0., 1.), sample_rate=sr), 1),
    fast_ratios=(lambda sr: fast_ratios(sr), 1),
    pitch_ratios=(lambda sr: AugmentConfig(pitch_mode='rational').pitch_ratios(sr), 2048),
    min_length=(lambda sr: min_length(sample_rate=sr), 2048),
    min_length_no_pitch=(lambda sr: min_length(('fade', 'time_shift'), sample_rate=sr), 1),
    sample_params_noise=(lambda sr: sample_params('white_noise', 2, L, make_generator(0), sample_rate=sr), 1),
    sample_params_pitch=(lambda sr: sample_params('pitch_shift', 2, L, make_generator(0), sample_rate=sr), 2048),
    apply_plan=(lambda sr: apply_plan(clips(), torch.zeros(B, 1, dtype=torch.long), draw_params(AUGMENTATIONS, B, L, make_generator(0)),
                                      sample_rate=sr), 2048),
    two_view=(lambda sr: TwoViewAugment(sample_rate=sr), 2048),
    two_view_no_pitch=(lambda sr: TwoViewAugment(augs=('fade', 'time_shift'), sample_rate=sr), 1),
    three_channel=(lambda sr: ThreeChannelSpec(sample_rate=sr), 1),
)
BAD_RATES = dict(zero=0, negative=-16000, float=16000.0, bool=True, string='16000')


@pytest.mark.parametrize('rate', BAD_RATES)
@pytest.mark.parametrize('case', RATES)
def test_bad_sample_rate(case, rate):
    f, lo = RATES[case]
    with pytest.raises(ValueError, match=rf'^sample_rate: expected an integer >= {lo} Hz'):
        f(BAD_RATES[rate])


@pytest.mark.filterwarnings('ignore:At least one mel filterbank')  # 128 mel bands between 0 and 0.5 Hz
@pytest.mark.parametrize('case', RATES)
def test_sample_rate_bounds(case):
    "The smallest allowed rate works, one below it is refused: other rates than 16 kHz stay legitimate."
    f, lo = RATES[case]
    f(lo)
    with pytest.raises(ValueError, match=rf'^sample_rate: expected an integer >= {lo} Hz.*, got {lo - 1}$'):
        f(lo - 1)


# ---- module and configuration options

FEATURE_OPTIONS = [('n_fft', 0), ('n_fft', -1024), ('n_fft', 1024.0), ('hop', 0), ('hop', None), ('n_mels', 0), ('n_mels', True)]


@pytest.mark.parametrize('name,value', FEATURE_OPTIONS)
def test_three_channel_options(name, value):
    with pytest.raises(ValueError, match=rf'^{name}: expected an integer >= 1, got {_re(repr(value))}'):
        ThreeChannelSpec(**{name: value})


TWO_VIEW = dict(  # case -> (kwargs, argument, words)
    seed_negative=(dict(seed=-1), 'seed', 'an integer >= 0, got -1'),
    seed_float=(dict(seed=1.5), 'seed', 'an integer >= 0, got 1.5'),
    k_float=(dict(k=1.5), 'k', 'an integer in [0, 7], got 1.5'),
    k_bool=(dict(k=True), 'k', 'an integer in [0, 7], got True'),
    config_dict=(dict(config={}), 'config', 'an AugmentConfig or None, got dict'),
    no_fast_ratio=(dict(sample_rate=4099), 'semitones', 'no fast pitch ratio'),
)


@pytest.mark.parametrize('case', TWO_VIEW)
def test_two_view_options(case):
    kw, name, words = TWO_VIEW[case]
    with pytest.raises(ValueError, match=rf'^{name}: ' + ('' if name == 'semitones' else 'expected ') + _re(words)):
        TwoViewAugment(**kw)


CONFIG = dict(  # case -> (field, value, words)
    semitones_wide=('semitones', (-60, 0), 'a (low, high) range with -48 <= low <= high <= 48, got (-60, 0)'),
    semitones_nan=('semitones', (0, NAN), 'a (low, high) range with -48 <= low'),
    semitones_one=('semitones', (3,), 'a (low, high) range with -48 <= low'),
    white_snr_nan=('white_snr', (3, NAN), 'a (low, high) range with -200 <= low'),
    white_snr_short=('white_snr', (3,), 'a (low, high) range with -200 <= low'),
    white_decay_wide=('white_decay', (-20, 0), 'a (low, high) range with -10 <= low <= high <= 10'),
    mixed_snr_str=('mixed_snr', ('a', 'b'), 'a (low, high) range with -200 <= low'),
    mixed_decay_inf=('mixed_decay', (-2, INF), 'a (low, high) range with -10 <= low'),
    stretch_reversed=('stretch', (1.5, 0.5), 'a (low, high) range with 0 <= low <= high <= 5'),
    stretch_rounds_to_zero=('stretch', (0.001, 1.5), 'rates in (0, 5) after rounding to stretch_decimals=2'),
    stretch_too_fast=('stretch', (0.5, 40), 'a (low, high) range with 0 <= low <= high <= 5'),
    max_denominator_zero=('max_denominator', 0, 'an integer >= 1, got 0'),
    max_denominator_float=('max_denominator', 2.5, 'an integer >= 1, got 2.5'),
    stretch_decimals_negative=('stretch_decimals', -1, 'an integer in [0, 10], got -1'),
    max_fade_str=('max_fade', '0.5', "a fraction in [0, 1], got '0.5'"),
    max_mask_bool=('max_mask', True, 'a fraction in [0, 1], got True'),
    max_shift_none=('max_shift', None, 'a fraction in [0, 1], got None'),
)


@pytest.mark.parametrize('case', CONFIG)
def test_config_fields(case):
    field, value, words = CONFIG[case]
    with pytest.raises(ValueError, match=rf'^{field}: expected ' + _re(words)):
        AugmentConfig(**{field: value})


APPLY = dict(  # case -> (plan, params change, chunk_samples, words)
    plan_rows=(torch.zeros(2, 1, dtype=torch.long), {}, None, "plan: expected an integer tensor of shape (3, slots), got shape (2, 1)"),
    plan_float=(torch.zeros(B, 1), {}, None, 'plan: expected an integer tensor of shape (3, slots)'),
    plan_1d=(torch.zeros(B, dtype=torch.long), {}, None, 'plan: expected an integer tensor of shape (3, slots)'),
    plan_index=(torch.full((B, 1), 7), {}, None, 'plan: expected entries in [-1, 6]'),
    plan_below=(torch.full((B, 1), -2), {}, None, 'plan: expected entries in [-1, 6]'),
    params_missing=(torch.zeros(B, 1, dtype=torch.long), {'pitch_shift': None}, None, "params['pitch_shift']: expected a dict of"),
    params_keys=(torch.ones(B, 1, dtype=torch.long), {'fade': dict(fade_in=t(1, 2, 3))}, None, "params['fade']: expected a dict of"),
    params_rows=(torch.ones(B, 1, dtype=torch.long), {'fade': dict(fade_in=t(1, 2), fade_out=t(1, 2), shape=t(0, 0))}, None,
                 "params['fade']['fade_in']: expected 3 values, one per clip"),
    params_values=(torch.full((B, 1), 4), {'time_stretch': dict(rate=t(1., 0., 1.))}, None, "params['time_stretch']['rate']: expected rates in (0, 9)"),
    noise_rows=(torch.full((B, 1), 2), {'white_noise': dict(snr_db=t(1., 2., 3.), f_decay=t(0., 0., 0.), noise=torch.randn(1, SR))}, None,
                "params['white_noise']['noise']: expected 3 rows"),
    chunk_zero=(torch.zeros(B, 1, dtype=torch.long), {}, 0, 'chunk_samples: expected an integer >= 1, got 0'),
)


@pytest.mark.parametrize('case', APPLY)
def test_apply_plan_checks(case):
    plan, change, chunk, words = APPLY[case]
    params = {**draw_params(AUGMENTATIONS, B, L, make_generator(0)), **change}
    params = {k: v for k, v in params.items() if v is not None}
    with pytest.raises(ValueError, match='^' + _re(words)):
        apply_plan(clips(), plan, params, chunk_samples=chunk)


# ---- valid input: the same numbers as before, (B, 1, L) -> (B, L)

def test_nan_pitch_shift_raises_instead_of_returning_nan():
    x = clips()
    x[0, 2000] = NAN
    with pytest.raises(ValueError, match=r'^x: expected finite values, got NaN or inf in clip\(s\) \[0\]'):
        pitch_shift(x, t(5, 4, 5), t(4, 5, 4))


def test_time_masking_b1l_shape():
    x = clips()
    out = time_masking(x[:, None], t(0, 10, 20), t(5, 5, 5))
    assert out.shape == (B, L)
    assert torch.equal(out, time_masking(x, t(0, 10, 20), t(5, 5, 5)))


@pytest.mark.parametrize('dtype', [torch.float32, torch.float64, torch.float16], ids=str)
@pytest.mark.parametrize('aug', FNS)
def test_public_equals_impl(aug, dtype):
    "The checked function returns exactly what the unchecked implementation returns, for (B, L) and (B, 1, L)."
    x = clips().to(dtype)
    ref = getattr(AU, IMPLS[aug])(x.clone(), **good(aug))
    for inp in (x, x[:, None]):
        out = FNS[aug](inp, **good(aug))
        assert out.shape == (B, L) and out.dtype == dtype
        assert torch.equal(out, ref)


def test_stft_and_coloured_noise_equal_impl():
    x = clips()
    assert torch.equal(stft(x[:, None], 256, 64), AU._stft(x, 256, 64))
    base = torch.randn(2, SR, generator=make_generator(3))
    assert torch.equal(coloured_noise(base, t(-1., 2.)), AU._coloured_noise(base, t(-1., 2.)))


def test_apply_plan_equals_impl():
    x, g = clips(), make_generator(5)
    plan, params = A.sample_plan(B, 7, g), draw_params(AUGMENTATIONS, B, L, g)
    ref = A._apply_plan(x, plan, params)
    assert torch.equal(apply_plan(x, plan, params), ref)
    assert torch.equal(apply_plan(x[:, None], plan, params), ref)


def test_two_view_replays_with_impl():
    x = clips()
    v = TwoViewAugment(seed=4)(x[:, None])
    assert v.view1.shape == (B, L)
    assert torch.equal(v.view1, A._apply_plan(x, v.params['plan'], v.params['view1']))
    assert torch.equal(v.view2, A._apply_plan(x, v.params['plan'], v.params['view2']))


def test_features_equal_impl():
    x = clips()
    m = ThreeChannelSpec()
    ref = m._spec(x)
    assert torch.equal(m(x), ref) and torch.equal(three_channel_spec(x[:, None]), ref)


def test_engine_checks_once(monkeypatch):
    "apply_plan and TwoViewAugment.forward check their input once at the entry, never inside the augmentation loop."
    names = []
    real = A.check_waveform
    for module in (A, AU):  # the entry checks (augment) and the parameter checks (augmentations)
        monkeypatch.setattr(module, 'check_waveform', lambda x, name='waveform', **kw: names.append(name) or real(x, name, **kw))
    x, g = clips(), make_generator(6)
    plan, params = A.sample_plan(B, 7, g, k=7), draw_params(AUGMENTATIONS, B, L, g)
    apply_plan(x, plan, params)
    assert names == ['x', "params['white_noise']['noise']", "params['mixed_noise']['noise']"], names
    names.clear()
    TwoViewAugment(k=7, seed=0)(x)
    assert names == ['waveform'], names
