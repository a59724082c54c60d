"""Global normalisation statistics are never reused for other clips, and a damaged statistics file is an error naming it."""
import json
import os
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

import mtslvr.stats as S
from mtslvr.train import PretrainConfig, build_datasets

SR = 16_000


def corpus(folder, n=8, scale=0.1, seed=0):
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    for i in range(n):
        sf.write(folder / f'c{i}.wav', rng.normal(0, scale, SR).astype('float32'), SR, subtype='FLOAT')
    return folder


def stats_of(folder, tmp_path, said=None, **kw):
    "The (mean, std) a pre-training run on `folder` normalises with, and what it logged."
    said = [] if said is None else said
    cfg = PretrainConfig(**dict(dict(data=str(folder), out_dir=str(tmp_path / 'run'), clip_seconds=0.5, norm='global', progress=False), **kw))
    return build_datasets(cfg, said.append)[2], said


def test_changed_audio_is_not_normalised_with_old_statistics(tmp_path):
    "Overwrite every clip with louder audio (same names, sizes and modification times): the statistics follow the new audio."
    data = corpus(tmp_path / 'data')
    (_, std0), _ = stats_of(data, tmp_path)
    times = {f: f.stat() for f in data.glob('*.wav')}
    corpus(data, scale=0.9, seed=1)
    for f, st in times.items():
        os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    (_, std1), said = stats_of(data, tmp_path)
    assert 0.08 < std0 < 0.12 and 0.8 < std1 < 1.0, (std0, std1)
    assert len(said) and 'holds statistics of other clips' in ' '.join(said)


@pytest.mark.parametrize('change', [dict(seed=7), dict(val_fraction=0.5), dict(clip_seconds=0.25)])
def test_another_split_or_length_gets_its_own_statistics(tmp_path, change):
    "Another seed, validation share or clip length trains on other clips: new statistics, both entries kept, each reused."
    data = corpus(tmp_path / 'data', n=10)
    a, _ = stats_of(data, tmp_path)
    b, said = stats_of(data, tmp_path, **change)
    assert a != b and any('holds statistics of other clips' in s for s in said)
    assert len(S.read_stats_file(data)) == 2
    assert stats_of(data, tmp_path)[0] == a and stats_of(data, tmp_path, **change)[0] == b
    assert not any('global statistics' in s for s in stats_of(data, tmp_path, **change)[1])  # found: nothing recomputed


def test_stats_cli_entry_is_what_pretraining_finds(tmp_path):
    "mtslvr-stats with the run's settings stores the entry the run then reads without computing."
    data = corpus(tmp_path / 'data', n=10)
    S.stats_cli([str(data), '--seconds', '0.5', '--val-fraction', '0.3', '--seed', '42'])
    (mean, std), said = stats_of(data, tmp_path)
    (st,) = S.read_stats_file(data).values()
    assert (mean, std) == (st['mean'], st['std']) and not any('global statistics' in s for s in said)


def test_unkeyed_statistics_are_replaced(tmp_path):
    "A file from before keys (mean/std/clips/samples only) cannot say what it covers: recomputed, said, and replaced."
    data = corpus(tmp_path / 'data')
    (data / S.STATS_FILE).write_text(json.dumps(dict(mean=0.0, std=0.080, clips=5, samples=40000)))
    (_, std), said = stats_of(data, tmp_path)
    assert std != 0.080 and str(data / S.STATS_FILE) in ' '.join(said)
    assert json.loads((data / S.STATS_FILE).read_text())['format'] == S.STATS_FORMAT


GOOD = dict(mean=0.0, std=0.1, clips=3, samples=300)
DAMAGED = {
    'not_json': ('{"format": "mtslvr-st', 'unreadable content'),
    'binary': (b'\xff\xfe\x00garbage', 'unreadable content'),
    'a_list': ('[1, 2]', "expected mtslvr statistics ({'format'"),
    'other_format': (json.dumps(dict(format='other', entries={})), "expected mtslvr statistics"),
    'entries_not_a_mapping': (json.dumps(dict(format=S.STATS_FORMAT, entries=[1])), "expected mtslvr statistics"),
    'entry_not_a_mapping': (json.dumps(dict(format=S.STATS_FORMAT, entries=dict(k=3))), 'entry k: expected a mapping'),
    'nan_mean': (json.dumps(dict(format=S.STATS_FORMAT, entries=dict(k=dict(GOOD, mean=float('nan'))))), 'expected mean a finite number'),
    'zero_std': (json.dumps(dict(format=S.STATS_FORMAT, entries=dict(k=dict(GOOD, std=0.0)))), 'expected std a finite number > 0'),
    'string_std': (json.dumps(dict(format=S.STATS_FORMAT, entries=dict(k=dict(GOOD, std='0.1')))), "expected std a finite number > 0, got '0.1'"),
    'missing_clips': (json.dumps(dict(format=S.STATS_FORMAT, entries=dict(k={'mean': 0.0, 'std': 0.1, 'samples': 3}))), 'expected clips an integer'),
    'float_samples': (json.dumps(dict(format=S.STATS_FORMAT, entries=dict(k=dict(GOOD, samples=2.5)))), 'expected samples an integer'),
}


@pytest.mark.parametrize('kind', DAMAGED)
def test_damaged_statistics_file_names_itself(tmp_path, kind):
    "Every damaged statistics file is a ValueError naming the file and what was expected, from the library and from a run."
    data = corpus(tmp_path / 'data')
    text, want = DAMAGED[kind]
    p = data / S.STATS_FILE
    p.write_bytes(text) if isinstance(text, bytes) else p.write_text(text)
    with pytest.raises(ValueError) as e:
        S.read_stats_file(data)
    assert str(p) in str(e.value) and want in str(e.value) and 'delete the file' in str(e.value)
    with pytest.raises(ValueError, match='delete the file'):
        stats_of(data, tmp_path)
    assert p.read_bytes() == (text if isinstance(text, bytes) else text.encode())  # nothing overwritten


def test_save_refuses_bad_statistics(tmp_path):
    "save_stats checks what it writes, so a bad entry never reaches the disk."
    with pytest.raises(ValueError, match='expected std a finite number > 0'):
        S.save_stats(dict(GOOD, std=float('inf')), tmp_path, 'k')
    assert not (tmp_path / S.STATS_FILE).exists()


def test_read_only_data_folder_keeps_statistics_in_the_run(tmp_path, monkeypatch):
    "When the data folder cannot be written, the statistics go to the run folder and are found there next time."
    data = corpus(tmp_path / 'data')
    save = S.save_stats

    def refuse(stats, folder, key):
        if Path(folder).resolve() == data.resolve():
            raise PermissionError(f'{folder}: read-only')
        return save(stats, folder, key)
    monkeypatch.setattr(S, 'save_stats', refuse)
    a, _ = stats_of(data, tmp_path)
    b, said = stats_of(data, tmp_path)
    assert a == b and not (data / S.STATS_FILE).exists() and (tmp_path / 'run' / S.STATS_FILE).exists()
    assert not any('global statistics' in s for s in said)
