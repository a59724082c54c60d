"""Bad input, exact behaviour: unusable audio files, unsafe split files, stale or broken feature caches, out-of-range arguments.

Every case pins what happens: either an error of a given type whose message names the argument or file (`match=`), or one
warning that names what was skipped while the run continues. CPU only, a few seconds in all (1-s clips, a tiny encoder).
"""
import json
import os
import warnings

import numpy as np
import pytest
import soundfile as sf
import torch

from conftest import ROOT
import mtslvr.data as D
import mtslvr.stats as S
import mtslvr.fewshot as FS
import mtslvr.digests as DG

SR = 16_000
BAD_KINDS = ['zero_bytes', 'random_bytes', 'nan_npy', 'inf_npy', 'silent', 'constant', 'empty', 'pickled_npy', 'one_sample']
REASON = {'zero_bytes': 'unreadable audio', 'random_bytes': 'unreadable audio', 'nan_npy': 'expected finite samples',
          'inf_npy': 'expected finite samples', 'silent': 'silent', 'constant': 'silent', 'empty': 'expected audio samples',
          'pickled_npy': 'unreadable audio', 'one_sample': 'silent'}  # one sample is a constant clip


class Marker:
    "Unpickling this creates `path`: proof that a loader ran code from a file."
    def __init__(self, path):
        self.path = str(path)
    def __reduce__(self):
        return (open, (self.path, 'w'))


def noise(n, seed):
    return np.random.default_rng(seed).normal(0, 0.1, n).astype('float32')


def write_bad(path_stem, kind, tmp_path):
    "Write one unusable file of `kind`; return its path."
    p = path_stem.with_suffix('.npy' if kind.endswith('npy') else '.wav')
    if kind == 'zero_bytes':
        p.write_bytes(b'')
    elif kind == 'random_bytes':
        p.write_bytes(np.random.default_rng(0).integers(0, 256, 4000, dtype=np.uint8).tobytes())
    elif kind == 'nan_npy':
        np.save(p, np.array([0.1, np.nan, 0.2] * 100, 'float32'))
    elif kind == 'inf_npy':
        np.save(p, np.array([0.1, np.inf, 0.2] * 100, 'float32'))
    elif kind == 'silent':
        sf.write(p, np.zeros(SR, 'float32'), SR, subtype='FLOAT')
    elif kind == 'constant':
        sf.write(p, np.full(SR, 0.25, 'float32'), SR, subtype='FLOAT')
    elif kind == 'empty':
        sf.write(p, np.zeros(0, 'float32'), SR)
    elif kind == 'one_sample':
        sf.write(p, np.full(1, 0.3, 'float32'), SR, subtype='FLOAT')
    elif kind == 'pickled_npy':
        arr = np.empty(1, dtype=object)
        arr[0] = Marker(tmp_path / f'ran_{p.stem}')
        np.save(p, arr, allow_pickle=True)
    return p


def make_set(root, n_classes=3, n_clips=3, seconds=1.0, seed=0):
    "root/<class>/<class>_<i>.wav of noise clips; returns root."
    for c in range(n_classes):
        (root / f'c{c}').mkdir(parents=True, exist_ok=True)
        for i in range(n_clips):
            sf.write(root / f'c{c}' / f'c{c}_{i}.wav', noise(int(seconds * SR), seed * 1000 + c * 100 + i), SR, subtype='FLOAT')
    return root


class Envelope(torch.nn.Module):
    "A tiny encoder (B, L) -> (B, 16): the standard deviation of 16 equal stretches; counts its forward passes."
    def __init__(self, fail_at=None):
        super().__init__()
        self.calls, self.fail_at = 0, fail_at
    def forward(self, x):
        self.calls += 1
        if self.calls == self.fail_at:
            raise RuntimeError('simulated crash')
        return x.reshape(len(x), 16, -1).std(-1)


def record(fn):
    "(fn(), [warning messages])."
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        out = fn()
    return out, [str(w.message) for w in caught]


def extract(fset, cache_dir, enc=None, **kw):
    return FS.extract_features(enc or Envelope(), fset, **{**dict(seconds=0.5, cache_dir=cache_dir, key='envelope', progress=False), **kw})


# ---------------------------------------------------------------- one policy for bad files

@pytest.mark.parametrize('kind', BAD_KINDS)
def test_scan_audio_skips_each_bad_kind_with_one_warning(tmp_path, kind):
    "scan_audio keeps the good files in order and issues exactly one warning naming the bad file and its reason."
    good = [tmp_path / 'a.wav', tmp_path / 'z.wav']
    for i, g in enumerate(good):
        sf.write(g, noise(SR, i), SR)
    bad = write_bad(tmp_path / 'm', kind, tmp_path)
    (kept, skipped), msgs = record(lambda: D.scan_audio([good[0], bad, good[1]]))
    assert kept == good and [f for f, _ in skipped] == [bad]
    assert skipped[0][1].startswith(REASON[kind]), skipped
    assert len(msgs) == 1 and f'{bad} ({REASON[kind]}' in msgs[0] and 'skipped 1 of 3' in msgs[0]
    assert not list(tmp_path.glob('ran_*')), 'a pickled file was unpickled'


def test_scan_audio_too_short_and_many_files(tmp_path):
    "min_samples is checked after resampling; past 20 skipped files the warning gives a count instead of names."
    sf.write(tmp_path / 'short.wav', noise(400, 0), 8000)  # 400 samples at 8 kHz = 800 at 16 kHz
    assert D.check_audio(tmp_path / 'short.wav', min_samples=800) is None
    assert D.check_audio(tmp_path / 'short.wav', min_samples=801) == 'too short: 800 samples at 16000 Hz, expected at least 801'
    bad = [write_bad(tmp_path / f'b{i:02d}', 'zero_bytes', tmp_path) for i in range(25)]
    (kept, skipped), msgs = record(lambda: D.scan_audio(bad, workers=2))
    assert kept == [] and len(skipped) == 25 and len(msgs) == 1
    assert str(bad[19]) in msgs[0] and str(bad[20]) not in msgs[0] and msgs[0].endswith('; and 5 more')


@pytest.mark.parametrize('kind', ['nan_npy', 'inf_npy', 'silent', 'constant'])
def test_audio_folder_check_reads_every_file(tmp_path, kind):
    "AudioFolder(check=True) reads files fully: NaN and silent files (whose headers are fine) are skipped too."
    for i in range(3):
        sf.write(tmp_path / f'g{i}.wav', noise(SR, i), SR)
    bad = write_bad(tmp_path / 'x', kind, tmp_path)
    ds, msgs = record(lambda: D.AudioFolder(tmp_path, length=SR))
    assert len(ds) == 3 and [f for f, _ in ds.skipped] == [bad] and len(msgs) == 1 and str(bad) in msgs[0]
    assert torch.stack([ds[i] for i in range(3)]).isfinite().all()


def test_stats_cli_scans_the_training_split(tmp_path, capsys):
    "mtslvr-stats takes hyphenated options, skips bad files with one warning, then splits the usable ones as pre-training does."
    for i in range(6):
        sf.write(tmp_path / f'g{i}.wav', noise(SR, i), SR)
    bad = [write_bad(tmp_path / f'n{i}', 'nan_npy', tmp_path) for i in range(4)]
    _, msgs = record(lambda: S.stats_cli([str(tmp_path), '--seconds', '0.5', '--val-fraction', '0.5', '--seed', '1']))
    assert len(msgs) == 1 and all(str(b) in msgs[0] for b in bad) and 'skipped 4 of 10' in msgs[0]
    (st,) = S.read_stats_file(tmp_path).values()
    assert st['clips'] == 3  # the training half of the 6 usable files
    assert 'mean' in capsys.readouterr().out


# ---------------------------------------------------------------- few-shot sets

@pytest.mark.parametrize('kind', BAD_KINDS)
def test_fewshot_set_skips_bad_clip_and_features_continue(tmp_path, kind):
    "A bad clip in a class folder is skipped with one warning naming it; features are extracted for every other clip."
    root = make_set(tmp_path / 'set')
    bad = write_bad(root / 'c1' / 'c1_bad', kind, tmp_path)
    fset, msgs = record(lambda: FS.FewShotSet(root, n_way=2))
    assert len(msgs) == 1 and str(bad) in msgs[0] and REASON[kind] in msgs[0]
    assert len(fset) == 9 and fset.skipped[0][0] == bad and fset.classes == ['c0', 'c1', 'c2']
    fe = extract(fset, None)
    assert fe.feats.shape == (18, 16) and fe.clip_label.tolist() == [0] * 3 + [1] * 3 + [2] * 3
    acc = FS.run_readout(fe, FS.sample_episodes(fe, n_tasks=20, n_way=2, seed=0), 'centroid')
    assert acc.shape == (20,)
    assert not list(tmp_path.glob('ran_*'))


def test_fewshot_set_all_bad_kinds_one_warning(tmp_path):
    "Zero-byte, corrupt, NaN, inf, silent, empty (too short), one-sample and pickled clips in one set: one warning names each, the rest is evaluated."
    root = make_set(tmp_path / 'set', n_classes=2, n_clips=3)
    bad = [write_bad(root / f'c{i % 2}' / f'bad_{k}', k, tmp_path) for i, k in enumerate(BAD_KINDS)]
    fset, msgs = record(lambda: FS.FewShotSet(root, n_way=2))
    assert len(msgs) == 1 and all(str(b) in msgs[0] for b in bad), msgs
    assert len(fset) == 6 and sorted(map(str, (f for f, _ in fset.skipped))) == sorted(map(str, bad))
    assert extract(fset, None).feats.shape == (12, 16)


def test_too_few_classes_error_names_dropped_classes_and_why(tmp_path):
    "When skipping leaves too few classes, the error names each dropped class, its usable clips and how many were skipped."
    root = make_set(tmp_path / 'set', n_classes=2, n_clips=3)
    (root / 'c1' / 'c1_0.wav').write_bytes(b'')
    (root / 'c1' / 'c1_1.wav').write_bytes(b'junk')  # two of c1's three clips
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        with pytest.raises(ValueError, match=r"expected at least 2 classes .* got 1; dropped class 'c1': 1 clip\(s\) left after skipping 2 unusable"):
            FS.FewShotSet(root, n_way=2)


@pytest.mark.parametrize('layout, match', [
    ('empty', 'got no class sub-folders'),
    ('flat', r'got 2 audio file\(s\) directly in it but no class sub-folders'),
    ('no_audio', r"got sub-folders \['a', 'b'\] without audio files"),
])
def test_fewshot_set_rejects_folders_without_classes(tmp_path, layout, match):
    "An empty folder, loose audio files, or sub-folders without audio: a ValueError that says which."
    root = tmp_path / 'ds'
    root.mkdir()
    if layout == 'flat':
        for i in range(2):
            sf.write(root / f'{i}.wav', noise(SR, i), SR)
    if layout == 'no_audio':
        for c in 'ab':
            (root / c).mkdir()
            (root / c / 'notes.txt').write_text('x')
    with pytest.raises(ValueError, match=match):
        FS.FewShotSet(root, n_way=2)


# ---------------------------------------------------------------- split files

@pytest.mark.parametrize('name, write', [
    ('split.csv', lambda p: p.write_text('id,Class\n1,c0\n2,c2\n')),
    ('split_first.csv', lambda p: p.write_text('c0,extra\nc2,extra\n')),
    ('split.npy', lambda p: np.save(p, np.array([['c1', 'c1'], ['c1', 'c1'], ['c0', 'c2']]))),
    ('split.json', lambda p: p.write_text(json.dumps([['c1'], ['c1'], ['c0', 'c2']]))),
])
def test_read_split_formats(tmp_path, name, write):
    "CSV (a `class` column or the first), a 2-D string .npy and a JSON [train, val, test] list: the test classes."
    write(tmp_path / name)
    assert FS.read_split(tmp_path / name) == ['c0', 'c2']


def test_pickled_split_is_refused_and_never_executed(tmp_path):
    "A pickled .npy split raises a ValueError naming the file and the fix, and its payload never runs."
    marker = tmp_path / 'pwned'
    arr = np.empty(3, dtype=object)
    arr[0], arr[1], arr[2] = Marker(marker), ['a'], ['b']
    np.save(tmp_path / 'evil_split.npy', arr, allow_pickle=True)
    with pytest.raises(ValueError, match=r'evil_split\.npy holds Python objects .* text file \(one class per line\) or a JSON list'):
        FS.read_split(tmp_path / 'evil_split.npy')
    root = make_set(tmp_path / 'set')
    with pytest.raises(ValueError, match='evil_split.npy'):
        FS.FewShotSet(root, split=tmp_path / 'evil_split.npy', n_way=2)
    assert not marker.exists()


@pytest.mark.parametrize('name, write, match', [
    ('num.npy', lambda p: np.save(p, np.arange(3.0)), r'num\.npy: expected a 1-D or 2-D array of strings, got dtype float64'),
    ('blank.txt', lambda p: p.write_text('\n\n'), r'blank\.txt: expected at least one class name'),
    ('obj.json', lambda p: p.write_text('{"test": ["a"]}'), r'obj\.json: expected a JSON list of class names, got dict'),
])
def test_read_split_rejects_unusable_files(tmp_path, name, write, match):
    "Numbers, an empty file, a JSON object: a ValueError naming the file and what was expected."
    write(tmp_path / name)
    with pytest.raises(ValueError, match=match):
        FS.read_split(tmp_path / name)


# ---------------------------------------------------------------- the feature cache

@pytest.mark.parametrize('racy_ns', [DG._RACY_NS, 0])
def test_cache_follows_content_not_mtime(tmp_path, monkeypatch, racy_ns):
    "A clip overwritten with different audio of the same length, mtime restored: new features, equal to an uncached run."
    monkeypatch.setattr(DG, '_RACY_NS', racy_ns)  # 0: every digest is remembered, so the memo shortcut is exercised
    monkeypatch.setattr(DG, '_DIGESTS', {})
    root = make_set(tmp_path / 'set')
    cache = tmp_path / 'cache'
    fe1 = extract(FS.FewShotSet(root, n_way=2), cache)
    clip = root / 'c1' / 'c1_1.wav'
    st = clip.stat()
    sf.write(clip, noise(SR, 999) * 3, SR, subtype='FLOAT')
    os.utime(clip, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (clip.stat().st_size, clip.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    enc = Envelope()
    fe2 = extract(FS.FewShotSet(root, n_way=2), cache, enc)
    fresh = extract(FS.FewShotSet(root, n_way=2), None)
    assert enc.calls > 0 and not torch.equal(fe1.feats, fe2.feats) and torch.equal(fe2.feats, fresh.feats)
    enc = Envelope()
    fe3 = extract(FS.FewShotSet(root, n_way=2), cache, enc)
    assert enc.calls == 0 and torch.equal(fe3.feats, fresh.feats)  # unchanged clips: served from the cache
    if racy_ns == 0:
        assert (cache / FS.DIGESTS_FILE).exists()  # the memo persists


def test_digest_memo_is_only_a_shortcut(tmp_path, monkeypatch):
    "A remembered digest is used while (path, size, mtime, ctime, inode) match; a content write moves ctime and defeats it."
    monkeypatch.setattr(DG, '_RACY_NS', 0)
    f = tmp_path / 'a.wav'
    sf.write(f, noise(SR, 0), SR, subtype='FLOAT')
    memo = {}
    real = FS.file_digest(f, memo)
    (sig,) = memo
    memo[sig] = 'remembered'
    assert FS.file_digest(f, memo) == 'remembered'  # no read: the signature matched
    st = f.stat()
    sf.write(f, noise(SR, 1), SR, subtype='FLOAT')
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    new = FS.file_digest(f, memo)
    assert new not in ('remembered', real) and len(memo) == 2
    FS.file_digests([f], tmp_path / 'cache')
    assert new in json.loads((tmp_path / 'cache' / FS.DIGESTS_FILE).read_text()).values()


@pytest.mark.parametrize('corrupt', ['truncated', 'zero_bytes', 'random_bytes', 'flipped_byte', 'foreign_file'])
def test_corrupt_cache_entry_is_rebuilt_with_a_warning(tmp_path, corrupt):
    "A damaged cache entry: one warning naming it, then features computed again (equal to an uncached run), never a crash."
    root = make_set(tmp_path / 'set')
    cache = tmp_path / 'cache'
    fe = extract(FS.FewShotSet(root, n_way=2), cache)
    (entry,) = cache.glob('features-*.safetensors')
    data = entry.read_bytes()
    if corrupt == 'truncated':
        entry.write_bytes(data[:len(data) // 2])
    elif corrupt == 'zero_bytes':
        entry.write_bytes(b'')
    elif corrupt == 'random_bytes':
        entry.write_bytes(os.urandom(len(data)))
    elif corrupt == 'flipped_byte':
        entry.write_bytes(data[:-5] + bytes([data[-5] ^ 0xFF]) + data[-4:])
    else:
        from safetensors.torch import save_file
        save_file({'feats': torch.zeros(2, 2)}, str(entry))
    enc = Envelope()
    again, msgs = record(lambda: extract(FS.FewShotSet(root, n_way=2), cache, enc))
    assert enc.calls > 0 and torch.equal(again.feats, fe.feats) and torch.equal(again.seg_clip, fe.seg_clip)
    assert len(msgs) == 1 and str(entry) in msgs[0] and 'discarded' in msgs[0]
    enc = Envelope()
    extract(FS.FewShotSet(root, n_way=2), cache, enc)
    assert enc.calls == 0  # the rebuilt entry is good


def test_cache_is_safetensors_and_keyed_on_every_setting(tmp_path):
    "Entries are safetensors (no pickle); encoder key, seconds and fixed each give their own entry; a repeat reuses one."
    from safetensors import safe_open
    fset = FS.FewShotSet(make_set(tmp_path / 'set'), n_way=2)
    cache = tmp_path / 'cache'
    for kw in [{}, dict(key='other'), dict(seconds=0.25), dict(fixed=True)]:
        extract(fset, cache, **kw)
    enc = Envelope()
    extract(fset, cache, enc)
    entries = sorted(cache.glob('features-*.safetensors'))
    assert enc.calls == 0 and len(entries) == 4 and not list(cache.glob('*.pt')) and not list(cache.glob('part-*'))
    with safe_open(str(entries[0]), 'pt') as f:
        assert set(f.keys()) == {'feats', 'seg_clip', 'clip_label'} and json.loads(f.metadata()['mtslvr'])['classes'] == ['c0', 'c1', 'c2']
    nbs = [ROOT / 'nbs' / '11_data.ipynb', ROOT / 'nbs' / '14_embeddings.ipynb', ROOT / 'nbs' / '19_fewshot.ipynb', ROOT / 'nbs' / '15_labelled.ipynb', FS.__file__, D.__file__,
           ROOT / 'mtslvr' / 'embeddings.py', ROOT / 'mtslvr' / 'labelled.py']
    assert not any('weights_only=False' in open(p).read() for p in nbs)


@pytest.mark.parametrize('fail_at, reused', [(1, 0), (2, 1), (4, 3)])
def test_piecewise_extraction_resumes_after_a_crash(tmp_path, fail_at, reused):
    "An encoder that dies on forward pass N leaves N-1 finished pieces; the rerun computes only the rest, then tidies up."
    fset = FS.FewShotSet(make_set(tmp_path / 'set', n_classes=4, n_clips=2), n_way=2)
    cache = tmp_path / 'cache'
    kw = dict(piece=2, batch_size=64)  # 8 clips: 4 pieces of 2 clips, one forward pass each
    with pytest.raises(RuntimeError, match='simulated crash'):
        extract(fset, cache, Envelope(fail_at=fail_at), **kw)
    assert len(list(cache.glob('part-*.safetensors'))) == reused and not list(cache.glob('.*tmp'))
    enc = Envelope()
    fe = extract(fset, cache, enc, **kw)
    assert enc.calls == 4 - reused and torch.equal(fe.feats, extract(fset, None).feats)
    assert not list(cache.glob('part-*')) and len(list(cache.glob('features-*.safetensors'))) == 1


def test_failed_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    "A write that fails part way (a full disk) raises, and neither a temporary file nor a half entry remains."
    import safetensors.torch
    def full_disk(tensors, filename, metadata=None):
        open(filename, 'wb').write(b'half')
        raise OSError('No space left on device')
    monkeypatch.setattr(safetensors.torch, 'save_file', full_disk)
    fset = FS.FewShotSet(make_set(tmp_path / 'set'), n_way=2)
    cache = tmp_path / 'cache'
    with pytest.raises(OSError, match='No space left'):
        extract(fset, cache)
    assert [p.name for p in cache.iterdir() if p.name != FS.DIGESTS_FILE] == []


# ---------------------------------------------------------------- argument checks

@pytest.fixture(scope='module')
def small(tmp_path_factory):
    "(a FewShotSet of 3 classes x 3 clips, its features, one good file)."
    root = make_set(tmp_path_factory.mktemp('small') / 'set')
    fset = FS.FewShotSet(root, n_way=2)
    return fset, extract(fset, None), root / 'c0' / 'c0_0.wav'


ARG_CASES = [
    ('sample_episodes n_tasks', lambda s: FS.sample_episodes(s[1], n_tasks=0, n_way=2), 'n_tasks: expected an integer >= 1, got 0'),
    ('sample_episodes n_way', lambda s: FS.sample_episodes(s[1], n_way=1), r'n_way: expected an integer >= 2 \(a 1-way task is always answered correctly\), got 1'),
    ('sample_episodes k_shot', lambda s: FS.sample_episodes(s[1], n_way=2, k_shot=0), 'k_shot: expected an integer >= 1, got 0'),
    ('sample_episodes q_queries', lambda s: FS.sample_episodes(s[1], n_way=2, q_queries=0), 'q_queries: expected an integer >= 1, got 0'),
    ('segment seconds', lambda s: FS.segment(torch.randn(100), seconds=0), r'seconds: expected a finite duration >= 1 sample .*got 0'),
    ('segment negative', lambda s: FS.segment(torch.randn(100), seconds=-1.0), 'seconds: expected a finite duration >= 1 sample'),
    ('segment sample_rate', lambda s: FS.segment(torch.randn(100), 1, sample_rate=0), 'sample_rate: expected an integer >= 1, got 0'),
    ('extract batch_size', lambda s: FS.extract_features(Envelope(), s[0], 0.5, batch_size=0, cache_dir=None, progress=False), 'batch_size: expected an integer >= 1, got 0'),
    ('extract seconds', lambda s: FS.extract_features(Envelope(), s[0], 0.0, cache_dir=None, progress=False), r'seconds: expected a finite duration .*got 0\.0'),
    ('extract piece', lambda s: FS.extract_features(Envelope(), s[0], 0.5, cache_dir=None, progress=False, piece=0), 'piece: expected an integer >= 1, got 0'),
    ('FewShotSet min_clips', lambda s: FS.FewShotSet(s[2].parents[1], min_clips=1, n_way=2), r'min_clips: expected an integer >= 2 \(k_shot \+ q_queries\), got 1'),
    ('FewShotSet n_way', lambda s: FS.FewShotSet(s[2].parents[1], n_way=1), 'n_way: expected an integer >= 2'),
    ('AudioFolder length', lambda s: D.AudioFolder(files=[s[2]], length=0), r'length: expected an integer >= 1 \(samples per clip\) or None, got 0'),
    ('AudioFolder sample_rate', lambda s: D.AudioFolder(files=[s[2]], sample_rate=0), 'sample_rate: expected an integer >= 1, got 0'),
    ('split_files val_fraction', lambda s: D.split_files([1, 2, 3], '0.3'), r"val_fraction: expected a fraction in \[0, 1\), got '0.3'"),
    ('compute_stats empty', lambda s: S.compute_stats([]), 'ds: expected at least one clip .*got an empty dataset'),
    ('SyntheticAudio n', lambda s: D.SyntheticAudio(n=0), 'n: expected an integer >= 1, got 0'),
    ('SyntheticAudio seconds', lambda s: D.SyntheticAudio(seconds=0), 'seconds: expected a finite duration >= 1 sample'),
    ('SyntheticAudio families', lambda s: D.SyntheticAudio(families=()), r'families: expected a non-empty selection from .*got \(\)'),
    ('SyntheticAudio family name', lambda s: D.SyntheticAudio(families=('piano',)), r"families: .*got \('piano',\)"),
    ('SyntheticAudio stats', lambda s: D.SyntheticAudio(stats=(0.0, 0.0)), 'stats: expected a positive std, got 0.0'),
    ('SyntheticAudio sample_rate', lambda s: D.SyntheticAudio(sample_rate=0), 'sample_rate: expected an integer >= 1, got 0'),
    ('SyntheticFewShot clips', lambda s: D.SyntheticFewShot(clips_per_class=0), 'clips_per_class: expected an integer >= 1, got 0'),
    ('SyntheticFewShot seconds', lambda s: D.SyntheticFewShot(seconds=(0, 1)), r'seconds\[0\]: expected a finite duration'),
    ('SyntheticFewShot range', lambda s: D.SyntheticFewShot(seconds=(3, 1)), r'seconds: expected \(shortest, longest\) with shortest <= longest, got \(3, 1\)'),
    ('SyntheticFewShot classes', lambda s: D.SyntheticFewShot(classes=()), 'classes: expected names from .*got none'),
    ('synth_clip seconds', lambda s: D.synth_clip('chirp', 0.0, torch.Generator()), 'seconds: expected a finite duration >= 1 sample'),
    ('scan_audio workers', lambda s: D.scan_audio([s[2]], workers=0), 'workers: expected an integer >= 1, got 0'),
    ('scan_audio min_samples', lambda s: D.scan_audio([s[2]], min_samples=0), 'min_samples: expected an integer >= 1, got 0'),
]


@pytest.mark.parametrize('call, match', [c[1:] for c in ARG_CASES], ids=[c[0] for c in ARG_CASES])
def test_argument_checks_name_argument_range_and_value(small, call, match):
    "Out-of-range arguments raise ValueError naming the argument, the allowed range and the value received."
    with pytest.raises(ValueError, match=match):
        call(small)
