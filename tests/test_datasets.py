"""Dataset recipes: each of the paper's datasets read from a tiny tree written in its own download layout.

Every recipe gets a fake download with the real metadata file names and columns and a few short generated clips
(wav, or mp3 where the dataset ships mp3), and the (audio file, class) pairs are pinned, for the paper's test classes
(the default) and for every class. Wrong layouts must fail with an error naming the missing file, folder or column;
files the metadata lists but the disk lacks are skipped with one warning. Finally a `FewShotSet` is built from recipes.
CPU only, a few seconds.
"""
import json
import warnings

import numpy as np
import pytest
import soundfile as sf

import mtslvr.datasets as DS
import mtslvr.fewshot as FS

SR = 16_000


def clip(path, seconds=0.25, seed=0):
    "Write a short noise clip at `path` (mp3 when the name says so); return the path."
    path.parent.mkdir(parents=True, exist_ok=True)
    x = np.random.default_rng(seed).normal(0, 0.1, int(seconds * SR)).astype('float32')
    sf.write(path, x, SR, format='MP3' if path.suffix == '.mp3' else None)
    return path


def write_csv(path, header, rows, sep=','):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('\n'.join([sep.join(header)] + [sep.join(map(str, r)) for r in rows]) + '\n')


# Each builder writes a download in the dataset's layout under `root` and returns every (file, class) pair it holds.

def build_esc50(root):
    rows, pairs = [], []
    for i, (c, t) in enumerate([('dog', 0), ('dog', 0), ('rain', 10), ('rain', 10)]):  # dog is a test class, rain is not
        f = f'{i + 1}-1000{i}-A-{t}.wav'
        pairs.append((clip(root / 'audio' / f, seed=i), c))
        rows.append([f, i + 1, t, c, 'True', f'1000{i}', 'A'])
    write_csv(root / 'meta' / 'esc50.csv', ['filename', 'fold', 'target', 'category', 'esc10', 'src_file', 'take'], rows)
    return pairs


def build_nsynth(root):
    pairs = []
    for i, (part, inst) in enumerate([('nsynth-test', 'bass_synthetic_005'), ('nsynth-valid', 'bass_synthetic_005'),
                                       ('nsynth-train', 'keyboard_electronic_014'), ('nsynth-train', 'keyboard_electronic_014')]):
        note = f'{inst}-0{60 + i}-100'
        pairs.append((clip(root / part / 'audio' / f'{note}.wav', seed=i), inst))
        meta = root / part / 'examples.json'
        notes = json.loads(meta.read_text()) if meta.exists() else {}
        notes[note] = dict(note_str=note, instrument_str=inst, instrument_family_str=inst.split('_')[0], pitch=60 + i, velocity=100)
        meta.write_text(json.dumps(notes))
    return pairs


def build_fsdkaggle2018(root):
    pairs = []
    for table, folder, extra, rows in [
            ('train_post_competition.csv', 'FSDKaggle2018.audio_train', 'manually_verified', [('00044347.wav', 'Bark'), ('001ca53d.wav', 'Oboe')]),
            ('test_post_competition_scoring_clips.csv', 'FSDKaggle2018.audio_test', 'usage', [('00326aa9.wav', 'Bark'), ('0038a046.wav', 'Oboe')])]:
        pairs += [(clip(root / folder / f, seed=len(pairs) + j), c) for j, (f, c) in enumerate(rows)]
        write_csv(root / 'FSDKaggle2018.meta' / table, ['fname', 'label', extra, 'freesound_id', 'license'],
                  [[f, c, 1, 1000 + j, 'Attribution'] for j, (f, c) in enumerate(rows)])
    return pairs


def build_watkins(root):
    return [(clip(root / sp / f'{sp[:3]}{i}.wav', seed=i), sp) for sp in ('Beluga,_White_Whale', 'Sperm_Whale') for i in range(2)]


def build_birdclef2020(root):
    birds = [('blkpho', 'Sayornis nigricans', 'Black Phoebe'), ('aldfly', 'Empidonax alnorum', 'Alder Flycatcher')]  # only the first is a test class
    rows, pairs = [], []
    for code, sci, common in birds:
        for _ in range(2):
            f = f'XC{len(rows) + 134874}.mp3'
            pairs.append((clip(root / 'train_audio' / code / f, seed=len(rows)), f'{sci}_{common}'))
            rows.append([3.5, code, f, common, sci, f'{sci}_{common}', f'https://www.xeno-canto.org/{len(rows) + 134874}'])
    write_csv(root / 'train.csv', ['rating', 'ebird_code', 'filename', 'species', 'sci_name', 'primary_label', 'url'], rows)
    return pairs


def build_voxceleb1(root):
    return [(clip(root / part / 'wav' / spk / vid / f'0000{i}.wav', seed=i), spk)
            for part, spk, vid in [('vox1_dev_wav', 'id10473', '1zcIwhmdeo4'), ('vox1_test_wav', 'id11150', '5r0dWxy17C8')] for i in (1, 2)]


def build_speechcommands2(root):
    pairs = [(clip(root / w / f'0a7c2a8d_nohash_{i}.wav', seed=i), w) for w in ('no', 'yes') for i in range(2)]
    clip(root / '_background_noise_' / 'white_noise.wav', 1.0)
    (root / 'validation_list.txt').write_text('no/0a7c2a8d_nohash_0.wav\n')
    (root / 'testing_list.txt').write_text('yes/0a7c2a8d_nohash_1.wav\n')
    return pairs


def build_cremad(root):
    return [(clip(root / 'AudioWAV' / f'{actor}_{s}_{emo}_XX.wav', seed=actor), emo)
            for emo in ('ANG', 'SAD') for actor, s in ((1001, 'DFA'), (1091, 'IEO'))]


def build_saa(root):
    rows, pairs = [], []
    for lang in ('afrikaans', 'english'):
        for i in (1, 2):
            pairs.append((clip(root / 'recordings' / 'recordings' / f'{lang}{i}.mp3', seed=i), lang))
            rows.append([27, 9, '"virginia, south africa"', f'{lang}{i}', lang, 'female', len(rows) + 1, 'south africa', 'FALSE', '', '', ''])
    rows.append([42, 7, '"lagos, nigeria"', 'yoruba9', 'yoruba', 'male', 99, 'nigeria', 'TRUE', '', '', ''])  # listed as missing by the table
    write_csv(root / 'speakers_all.csv', ['age', 'age_onset', 'birthplace', 'filename', 'native_language', 'sex', 'speakerid',
                                          'country', 'file_missing?', '', '', ''], rows)
    return pairs


def build_commonvoice(root):
    base, pairs = root / 'cv-corpus-12.0-delta-2022-12-07', []
    for lang in ('cy', 'fy-NL'):
        clips = [f'common_voice_{lang}_{i}.mp3' for i in (1, 2)]
        pairs += [(clip(base / lang / 'clips' / c, seed=i), lang) for i, c in enumerate(clips)]
        header = ['client_id', 'path', 'sentence', 'up_votes', 'down_votes', 'age', 'gender', 'accents', 'locale', 'segment']
        write_csv(base / lang / 'validated.tsv', header, [['ab12', c, '"Bore da," meddai hi.', 2, 0, '', '', '', lang, ''] for c in clips], sep='\t')
        write_csv(base / lang / 'invalidated.tsv', header, [['cd34', f'common_voice_{lang}_9.mp3', 'x', 0, 2, '', '', '', lang, '']], sep='\t')
    return pairs


AUDIOSET_HEAD = ('# Segments csv created Sun Mar  5 10:54:31 2017\n# num_ytids=4, num_segs=4, num_unique_labels=4, num_positive_labels=5\n'
                 '# YTID, start_seconds, end_seconds, positive_labels\n')


def build_audioset(root):
    (root / 'meta').mkdir(parents=True)
    (root / 'meta' / 'balanced_train_segments.csv').write_text(
        AUDIOSET_HEAD + '--PJHxphWEs, 30.000, 40.000, "/m/09x0r,/t/dd00088"\n--ZhevVpy1s, 50.000, 60.000, "/m/012xff"\n'
        'Y_aE2O5G5WE, 0.000, 10.000, "/m/03fwl"\n-0DLPzsiXXE, 30.000, 40.000, "/m/04rlf"\n')
    return [(clip(root / 'audio' / 'Y--PJHxphWEs.wav'), '/m/09x0r,/t/dd00088'), (clip(root / 'audio' / 'x' / 'Y_aE2O5G5WE_0.000.flac'), '/m/03fwl'),
            (clip(root / 'audio' / '-0DLPzsiXXE_30000_40000.mp3'), '/m/04rlf')]


BUILDERS = {name: globals()[f'build_{name}'] for name in DS.RECIPES}
TEST_ONLY = {'watkins', 'speechcommands2', 'cremad', 'saa', 'commonvoice'}  # every class is a test class


def by_class(pairs):
    return sorted(pairs, key=lambda p: (p[1], str(p[0])))


def test_every_recipe_has_a_builder_and_the_paper_splits_have_the_paper_sizes():
    "Eleven recipes; the shipped test classes have the counts the MetaAudio / MT-SLVR split files give."
    assert list(DS.RECIPES) == ['esc50', 'nsynth', 'fsdkaggle2018', 'watkins', 'birdclef2020', 'voxceleb1', 'speechcommands2',
                                'cremad', 'saa', 'commonvoice', 'audioset']
    assert {k: len(v) for k, v in DS.PAPER_SPLITS.items()} == {
        'esc50': 10, 'fsdkaggle2018': 7, 'nsynth': 200, 'birdclef2020': 142, 'voxceleb1': 249, 'watkins': 32,
        'speechcommands2': 35, 'cremad': 6, 'saa': 122, 'commonvoice': 88}
    assert all(v == sorted(set(v)) for v in DS.PAPER_SPLITS.values())


@pytest.mark.parametrize('name', list(DS.RECIPES))
def test_recipe_reads_its_layout(tmp_path, name):
    "All pairs with split='all'; with the default split only the paper's test classes, in (class, file) order."
    root = tmp_path / name
    pairs = BUILDERS[name](root)
    with warnings.catch_warnings():
        warnings.simplefilter('error')  # a correct layout warns about nothing
        assert DS.read_dataset(name, root, split='all') == by_class(pairs)
        if name == 'audioset':
            assert DS.read_dataset(name, root) == by_class(pairs)  # no classes, no split
    if name != 'audioset':  # a tiny tree holds only some of the test classes: the others are named in one warning
        with pytest.warns(UserWarning, match=f"{name}: .* classes of split 'test' have no clips under"):
            got = DS.read_dataset(name, root)
        assert got == by_class([p for p in pairs if p[1] in DS.PAPER_SPLITS[name]])
        assert got == by_class(pairs) if name in TEST_ONLY else 0 < len(got) < len(pairs)
    for f, _ in pairs:
        assert sf.info(str(f)).frames > 0  # the fake clips are real audio (mp3 included)


def test_mp3_clips_are_written_and_read_back(tmp_path):
    "soundfile (libsndfile >= 1.1) writes and reads the MP3 clips the mp3 datasets ship."
    x, sr = sf.read(str(clip(tmp_path / 'a.mp3', 0.5)))
    assert sr == SR and abs(len(x) - SR // 2) < 0.1 * SR and np.abs(x).max() > 0.01


def test_read_audioset_counts_the_missing_segments(tmp_path):
    "Clips found in CSV order, whatever their folder and naming; segments without a clip are counted in one warning."
    pairs = build_audioset(tmp_path)
    with pytest.warns(UserWarning, match=r'audioset: 1 of 4 segments in balanced_train_segments.csv have no clip under .*--ZhevVpy1s'):
        files, missing = DS.read_audioset(tmp_path)
    assert files == [p for p, _ in pairs] and missing == 1


def remove(p):
    "Delete a file, or a folder with everything in it."
    if p.is_dir():
        for q in sorted(p.rglob('*'), reverse=True):
            q.rmdir() if q.is_dir() else q.unlink()
        p.rmdir()
    else:
        p.unlink()


def drop_column(p, col, sep=','):
    "Rewrite a CSV/TSV without column `col`."
    lines = [l.split(sep) for l in p.read_text().splitlines()]
    i = lines[0].index(col)
    p.write_text('\n'.join(sep.join(l[:i] + l[i + 1:]) for l in lines) + '\n')


def nest(root, name):
    "Move everything under `root` one level down, into root/name (an archive's top folder)."
    (root / '.nest').mkdir()
    for d in [d for d in root.iterdir() if d.name != '.nest']:
        d.rename(root / '.nest' / d.name)
    (root / '.nest').rename(root / name)


def strip_field(p, field):
    "Rewrite NSynth examples.json without `field` in its notes."
    p.write_text(json.dumps({k: {f: v for f, v in ex.items() if f != field} for k, ex in json.loads(p.read_text()).items()}))


CV = 'cv-corpus-12.0-delta-2022-12-07'
WRONG = [  # (recipe, how to break its layout, error type, what the message must name)
    ('esc50', lambda r: remove(r / 'meta' / 'esc50.csv'), FileNotFoundError, 'esc50: expected meta/esc50.csv under'),
    ('esc50', lambda r: remove(r / 'audio'), FileNotFoundError, 'esc50: expected audio/ under'),
    ('esc50', lambda r: drop_column(r / 'meta' / 'esc50.csv', 'category'), ValueError, "esc50: column 'category' missing in .*esc50.csv"),
    ('nsynth', lambda r: [remove(r / p / 'examples.json') for p in DS.NSYNTH_PARTS], FileNotFoundError,
     'nsynth: expected nsynth-train/examples.json, nsynth-valid/examples.json, nsynth-test/examples.json'),
    ('nsynth', lambda r: strip_field(r / 'nsynth-valid' / 'examples.json', 'instrument_str'), ValueError,
     "nsynth: field 'instrument_str' missing in .*nsynth-valid.*examples.json"),
    ('fsdkaggle2018', lambda r: remove(r / 'FSDKaggle2018.meta' / 'test_post_competition_scoring_clips.csv'), FileNotFoundError,
     'fsdkaggle2018: expected FSDKaggle2018.meta/test_post_competition_scoring_clips.csv under'),
    ('fsdkaggle2018', lambda r: remove(r / 'FSDKaggle2018.audio_test'), FileNotFoundError, 'fsdkaggle2018: expected FSDKaggle2018.audio_test/ under'),
    ('fsdkaggle2018', lambda r: drop_column(r / 'FSDKaggle2018.meta' / 'train_post_competition.csv', 'label'), ValueError,
     "fsdkaggle2018: column 'label' missing in .*train_post_competition.csv"),
    ('watkins', lambda r: [remove(d) for d in list(r.iterdir())], FileNotFoundError, 'watkins: expected species folders of .wav files'),
    ('watkins', lambda r: nest(r, 'watkins'), FileNotFoundError, 'watkins: expected species folders of .wav files'),  # root one level too high
    ('birdclef2020', lambda r: drop_column(r / 'train.csv', 'primary_label'), ValueError, "birdclef2020: column 'primary_label' missing in .*train.csv"),
    ('birdclef2020', lambda r: remove(r / 'train_audio'), FileNotFoundError, 'birdclef2020: expected train_audio/ under'),
    ('voxceleb1', lambda r: [(d / 'wav').rename(d / 'audio') for d in r.iterdir()], FileNotFoundError, r'voxceleb1: expected wav/<speaker id>/'),
    ('speechcommands2', lambda r: remove(r / 'testing_list.txt'), FileNotFoundError, 'speechcommands2: expected testing_list.txt under'),
    ('cremad', lambda r: (r / 'AudioWAV').rename(r / 'AudioMP3'), FileNotFoundError, 'cremad: expected AudioWAV/ under'),
    ('saa', lambda r: drop_column(r / 'speakers_all.csv', 'native_language'), ValueError, "saa: column 'native_language' missing in .*speakers_all.csv"),
    ('saa', lambda r: remove(r / 'speakers_all.csv'), FileNotFoundError, 'saa: expected speakers_all.csv under'),
    ('commonvoice', lambda r: remove(r / CV / 'cy' / 'validated.tsv'), FileNotFoundError, r'commonvoice: expected validated.tsv \(or train.tsv'),
    ('commonvoice', lambda r: drop_column(r / CV / 'fy-NL' / 'validated.tsv', 'path', '\t'), ValueError, "commonvoice: column 'path' missing in .*validated.tsv"),
    ('commonvoice', lambda r: [remove(r / CV / lang / 'clips') for lang in ('cy', 'fy-NL')], FileNotFoundError, 'commonvoice: expected <language>/clips/'),
    ('audioset', lambda r: remove(r / 'meta' / 'balanced_train_segments.csv'), FileNotFoundError, 'audioset: expected balanced_train_segments.csv under'),
    ('audioset', lambda r: (r / 'meta' / 'balanced_train_segments.csv').write_text(AUDIOSET_HEAD + '--PJHxphWEs, 30.000\n'), ValueError,
     "audioset: expected 'YTID, start_seconds, end_seconds, positive_labels' on every line"),
    ('audioset', lambda r: remove(r / 'audio'), FileNotFoundError, 'audioset: expected clips named by YouTube id'),
]


@pytest.mark.parametrize('name,breaks,exc,match', WRONG, ids=[f'{w[0]}-{i}' for i, w in enumerate(WRONG)])
def test_wrong_layout_names_what_is_missing(tmp_path, name, breaks, exc, match):
    "A layout that lacks a metadata file, folder or column fails with an error naming it."
    root = tmp_path / name
    BUILDERS[name](root)
    breaks(root)
    with pytest.raises(exc, match=match):
        DS.read_dataset(name, root, split='all')


def test_listed_but_missing_files_are_skipped_with_one_warning(tmp_path):
    "Files the metadata lists but the disk lacks: one warning with the count and their names; the rest is read."
    pairs = build_esc50(tmp_path)
    for f, _ in pairs[:3]:
        f.unlink()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        got = DS.read_dataset('esc50', tmp_path, split='all')
    assert got == [pairs[3]]
    assert len(caught) == 1 and 'esc50: skipped 3 of 4 file(s) listed in meta/esc50.csv but missing under' in str(caught[0].message)
    assert all(f.name in str(caught[0].message) for f, _ in pairs[:3])


def test_oddly_named_cremad_files_are_skipped_with_one_warning(tmp_path):
    "CREMA-D's class is in the file name; files not named <actor>_<sentence>_<emotion>_<level>.wav are named in one warning."
    pairs = build_cremad(tmp_path)
    clip(tmp_path / 'AudioWAV' / 'notes.wav')
    with pytest.warns(UserWarning, match=r'cremad: skipped 1 of 5 file\(s\) in AudioWAV/ not named .*notes.wav'):
        assert DS.read_dataset('cremad', tmp_path, split='all') == by_class(pairs)


def test_split_arguments(tmp_path):
    "Class names keep those classes; unknown names alone are an error; train/val splits are not shipped; unknown recipes are named."
    build_esc50(tmp_path)
    assert [c for _, c in DS.read_dataset('esc50', tmp_path, split=['rain'])] == ['rain', 'rain']
    with pytest.raises(ValueError, match='esc50: none of the 1 classes of split given has clips'):
        DS.read_dataset('esc50', tmp_path, split=['cat'])
    with pytest.raises(ValueError, match="esc50: split 'val': expected 'test'"):
        DS.read_dataset('esc50', tmp_path, split='val')
    with pytest.raises(ValueError, match=r"dataset recipe: expected one of \('esc50'"):
        DS.read_dataset('esc', tmp_path)
    with pytest.raises(FileNotFoundError, match='esc50: expected the dataset folder'):
        DS.read_dataset('esc50', tmp_path / 'no')
    assert 'meta/esc50.csv (filename, category)' in DS.list_datasets() and len(DS.list_datasets().splitlines()) == 12


def build_esc50_test_classes(root, bad=False):
    "ESC-50 layout holding five of the paper's test classes (2 clips each, 1 s) plus one other class."
    rows = []
    for t, c in enumerate(['airplane', 'cow', 'crow', 'dog', 'engine', 'rain']):
        for take in 'AB':
            f = f'1-{100 + t}-{take}-{t}.wav'
            clip(root / 'audio' / f, 1.0, seed=len(rows))
            rows.append([f, 1, t, c, 'False', 100 + t, take])
    if bad:
        sf.write(root / 'audio' / '1-103-A-3.wav', np.zeros(SR, 'float32'), SR)  # a silent dog clip
    write_csv(root / 'meta' / 'esc50.csv', ['filename', 'fold', 'target', 'category', 'esc10', 'src_file', 'take'], rows)


def test_fewshotset_from_recipe(tmp_path):
    "`FewShotSet('esc50:ROOT')` is named after the recipe, keeps the paper's test classes found, scans clips and drops small classes."
    build_esc50_test_classes(tmp_path, bad=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        fs = FS.FewShotSet(f'esc50:{tmp_path}', n_way=4)
    msgs = [str(w.message) for w in caught]
    assert fs.name == 'esc50' and fs.classes == ['airplane', 'cow', 'crow', 'engine'] and fs.dropped == ['dog'] and len(fs) == 8
    assert any('esc50: 5 of the 10 classes' in m for m in msgs) and any('dataset esc50: skipped 1 of 10' in m and 'silent' in m for m in msgs)
    assert any("class 'dog': 1 clip(s) left after skipping 1 unusable" in m for m in msgs)
    same = FS.FewShotSet.from_recipe('esc50', tmp_path, split=['airplane', 'cow', 'crow', 'engine', 'rain'], n_way=5)
    assert same.classes == ['airplane', 'cow', 'crow', 'engine', 'rain'] and same.name == 'esc50'
    assert len(FS.FewShotSet(f'esc50:{tmp_path}', split='all', check=False).classes) == 6
    items = DS.read_dataset('esc50', tmp_path, split='all')
    mine = FS.FewShotSet.from_items('mine', items, check=False)
    assert mine.name == 'mine' and mine.classes == sorted({c for _, c in items}) and [f for f, _ in mine.items] == [f for f, _ in items]


def test_fewshotset_keeps_folders_and_synthetic(tmp_path):
    "A folder of class sub-folders and 'synthetic' behave as before; a folder path is never taken for a recipe spec."
    for c in ('a', 'b'):
        for i in range(2):
            clip(tmp_path / 'esc50:x' / c / f'{i}.wav', seed=i)
    fs = FS.FewShotSet(str(tmp_path / 'esc50:x'), n_way=2)
    assert fs.name == 'esc50:x' and fs.classes == ['a', 'b']
    assert FS.FewShotSet('synthetic').name == 'synthetic'
    with pytest.raises(ValueError, match='dataset audioset: a pre-training set without classes'):
        FS.FewShotSet(f'audioset:{tmp_path}')


def test_fewshotset_from_an_mp3_recipe(tmp_path):
    "An mp3 set (Speech Accent Archive) is read through libsndfile's mp3 support."
    build_saa(tmp_path)
    fs = FS.FewShotSet(f'saa:{tmp_path}', split='all', n_way=2)
    assert fs.classes == ['afrikaans', 'english'] and len(fs) == 4 and fs.clip(0).ndim == 1


def test_eval_reads_a_recipe_and_lists_them(tmp_path, capsys):
    "`mtslvr-eval --datasets esc50=ROOT` evaluates on the dataset as distributed; --list-datasets prints the recipes."
    from mtslvr.evaluate import eval_cli, evaluate
    build_esc50_test_classes(tmp_path / 'ESC-50-master')
    res = evaluate(models=['baseline:logmel'], datasets=[f'esc50={tmp_path}/ESC-50-master'], n_tasks=20, readouts=['centroid'],
                   cache_dir='', progress=False, out_dir=str(tmp_path / 'eval'))
    row = res['centroid']['logmel (baseline)']['esc50']
    assert (row['classes'], row['clips']) == (5, 10)  # the paper's test classes found under ROOT
    with pytest.raises(SystemExit) as e:  # an action, like --help: it prints and exits without evaluating
        eval_cli(['--list-datasets'])
    out = capsys.readouterr().out
    assert e.value.code == 0
    assert all(name in out for name in DS.RECIPES) and 'meta/esc50.csv' in out


def test_pretrain_reads_audioset_as_distributed(tmp_path):
    "`mtslvr-pretrain --data audioset=ROOT` trains on the clips that balanced_train_segments.csv lists and finds."
    from mtslvr.train import pretrain
    build_audioset(tmp_path / 'as')
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        s = pretrain(data=f'audioset={tmp_path}/as', out_dir=str(tmp_path / 'run'), clip_seconds=0.25, batch_size=2, iters_per_epoch=1,
                     max_epochs=1, val_batches=1, progress=False, norm='global')
    assert s['epochs'] == 1 and any('1 of 4 segments' in str(w.message) for w in caught)
    assert (tmp_path / 'as' / 'mtslvr_stats.json').exists()  # statistics stored next to the data


def test_one_list_of_audio_formats():
    "The formats a recipe searches for are the formats the loader reads: one tuple, defined in core."
    import mtslvr.core as C
    import mtslvr.data as D
    assert DS.CLIP_EXTS is D.SOUNDFILE_EXTS is C.SOUNDFILE_EXTS
