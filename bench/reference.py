"""Per-clip reference implementations in the authors' style (torchaudio building blocks, one clip per call).

Used by bench/augment.py as the "authors' stack" baseline: each function takes one clip (1, L) and the same
parameter names as `mtslvr.augment`, and builds what it needs on every call (as torch-pitch-shift and
torch-audiomentations do), so a loop over clips measures what a per-clip pipeline costs.
"""
import math

import torch
import torchaudio

SR = 16000


def pitch_shift(x, ratio_num, ratio_den, sample_rate=SR):
    r = int(ratio_num) / int(ratio_den)
    n_fft = sample_rate // 64; hop = n_fft // 32; win = torch.ones(n_fft, device=x.device)
    S = torch.stft(x, n_fft, hop, window=win, return_complex=True)
    stretch = torchaudio.transforms.TimeStretch(hop_length=hop, n_freq=n_fft // 2 + 1, fixed_rate=1 / r).to(x.device)
    y = torch.istft(stretch(S), n_fft, hop, window=win)
    y = torchaudio.transforms.Resample(sample_rate, int(sample_rate * int(ratio_den) / int(ratio_num))).to(x.device)(y)
    L = x.shape[-1]
    return torch.nn.functional.pad(y, (0, max(0, L - y.shape[-1])))[..., :L]


def fade(x, fade_in, fade_out, shape, **_):
    shapes = ('linear', 'logarithmic', 'exponential')
    return torchaudio.transforms.Fade(int(fade_in), int(fade_out), shapes[int(shape)])(x)


def add_noise(x, snr_db, f_decay, noise, sample_rate=SR, **_):
    spec = torch.fft.rfft(noise[0].to(x.device))
    mask = 1 / torch.linspace(1, (sample_rate / 2) ** 0.5, spec.shape[0], device=x.device) ** float(f_decay)
    n = torch.fft.irfft(spec * mask)
    n = n / n.pow(2).mean().sqrt()
    n = n.repeat(math.ceil(x.shape[-1] / n.shape[-1]))[:x.shape[-1]]
    rms = x.pow(2).mean(-1, keepdim=True).sqrt()
    return x + n * rms / 10 ** (float(snr_db) / 20)


def time_stretch(x, rate, n_fft=2048, hop=512, **_):
    win = torch.ones(n_fft, device=x.device)
    S = torch.stft(x, n_fft, hop, window=win, return_complex=True)
    adv = torch.linspace(0, math.pi * hop, n_fft // 2 + 1, device=x.device)[:, None]
    y = torch.istft(torchaudio.functional.phase_vocoder(S, float(rate), adv), n_fft, hop, window=win)
    return y[..., torch.arange(x.shape[-1], device=x.device) % y.shape[-1]]


def time_masking(x, start, width, **_):
    y = x.clone(); y[..., int(start):int(start) + int(width)] = 0
    return y


def time_shift(x, shift, **_):
    return torch.roll(x, int(shift), dims=-1)


FNS = dict(pitch_shift=pitch_shift, fade=fade, white_noise=add_noise, mixed_noise=add_noise,
           time_stretch=time_stretch, time_masking=time_masking, time_shift=time_shift)
