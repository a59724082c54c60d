"""The bad-input matrix, kept whole: every public function or class that takes audio, a rate, a length, a file or a folder has
bad-input cases here (or in test_bad_input_augment.py, or an exemption with its reason), and each case is refused with an error
that names the argument, the file or the folder, and what was expected."""
import importlib
import inspect
import pkgutil
import re
import shutil
import warnings
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import soundfile as sf
import torch

import mtslvr
import mtslvr.analysis as A
import mtslvr.checkpoints as C
import mtslvr.cli as CL
import mtslvr.core as CO
import mtslvr.data as D
import mtslvr.stats as S
import mtslvr.datasets as DS
import mtslvr.digests as DG
import mtslvr.demo as DM
import mtslvr.evaluate as E
import mtslvr.explorer as X
import mtslvr.fewshot as FS
import mtslvr.framework as FW
import mtslvr.hear as H
import mtslvr.info as I
import mtslvr.labelled as LB
import mtslvr.train as T
from conftest import ROOT

SR = 16_000
NAN = float('nan')
INPUTS = {'x', 'w', 'waves', 'audio', 'clips', 'sample_rate', 'tensor_rate', 'length', 'seconds', 'path', 'file', 'files',
          'root', 'folder', 'min_samples', 'min_length', 'spec', 'out_dir', 'cache_dir'}


@pytest.fixture(scope='module')
def f(tmp_path_factory):
    "Files and folders, good and bad, shared by every case."
    t = tmp_path_factory.mktemp('matrix')
    sf.write(t / 'good.wav', np.random.default_rng(0).normal(0, 0.1, SR).astype('float32'), SR)
    (t / 'corrupt.wav').write_bytes(b'not audio')
    (t / 'silent').mkdir()
    for i in range(6):
        sf.write(t / 'silent' / f's{i}.wav', np.zeros(SR // 10, 'float32'), SR)
    (t / 'empty').mkdir()
    enc = FW.Encoder('cont_only', init_seed=0)
    C.save_backbone(enc, t / 'best_backbone.safetensors')
    (t / 'run').mkdir()
    shutil.copy(t / 'best_backbone.safetensors', t / 'run' / 'last.pt')  # a backbone renamed as a training checkpoint
    return SimpleNamespace(t=t, good=t / 'good.wav', corrupt=t / 'corrupt.wav', silent=t / 'silent', empty=t / 'empty',
                           missing=t / 'nope.wav', backbone=t / 'best_backbone.safetensors', renamed=t / 'run' / 'last.pt', enc=enc)


def nan_clip(n=SR):
    return torch.full((n,), NAN)


def calm(fn):
    "Call `fn` with the bad-file warnings silenced (the error is what is checked)."
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        return fn()


# public name -> {case: (call on the fixture, exception type, words the message holds)}
MATRIX = {
    'data.load_audio': dict(
        rate_zero=(lambda f: D.load_audio(f.good, 0), ValueError, 'sample_rate: expected an integer >= 1 Hz, got 0'),
        rate_negative=(lambda f: D.load_audio(f.good, -16000), ValueError, 'sample_rate: expected an integer >= 1 Hz'),
        tensor_rate=(lambda f: D.load_audio(f.good, tensor_rate=0.5), ValueError, 'tensor_rate: expected an integer >= 1 Hz'),
        missing=(lambda f: D.load_audio(f.missing), FileNotFoundError, '{missing}: expected an audio file, found nothing'),
        folder=(lambda f: D.load_audio(f.empty), FileNotFoundError, '{empty}: expected an audio file, found a folder'),
        corrupt=(lambda f: D.load_audio(f.corrupt), ValueError, '{corrupt}: unreadable audio')),
    'data.fix_length': dict(
        length_zero=(lambda f: D.fix_length(torch.randn(100), 0), ValueError, 'length: expected an integer >= 1 (samples), got 0'),
        length_negative=(lambda f: D.fix_length(torch.randn(100), -5), ValueError, 'length: expected an integer >= 1 (samples), got -5'),
        length_float=(lambda f: D.fix_length(torch.randn(100), 2.5), ValueError, 'length: expected an integer >= 1 (samples), got 2.5'),
        nan=(lambda f: D.fix_length(nan_clip(100), 50), ValueError, 'w: expected finite values'),
        int16=(lambda f: D.fix_length(torch.zeros(100, dtype=torch.int16), 50), ValueError, 'w: expected a floating-point tensor'),
        empty=(lambda f: D.fix_length(torch.zeros(0), 50), ValueError, 'w: expected clips of at least 1 samples, got 0'),
        two_dim=(lambda f: D.fix_length(torch.zeros(2, 100), 50), ValueError, 'w: expected a 1-D waveform tensor (L,), got (2, 100)')),
    'core.check_duration': dict(
        zero=(lambda f: D.check_duration(0), ValueError, 'seconds: expected a finite duration >= 1 sample'),
        rate=(lambda f: D.check_duration(1.0, 0), ValueError, 'sample_rate: expected an integer >= 1')),
    'data.check_audio': dict(
        rate_zero=(lambda f: D.check_audio(f.good, sample_rate=0), ValueError, 'sample_rate: expected an integer >= 1 Hz, got 0'),
        tensor_rate=(lambda f: D.check_audio(f.good, tensor_rate=-1), ValueError, 'tensor_rate: expected an integer >= 1 Hz'),
        min_samples=(lambda f: D.check_audio(f.good, min_samples=0), ValueError, 'min_samples: expected an integer >= 1')),
    'data.scan_audio': dict(
        rate_zero=(lambda f: D.scan_audio([f.good], sample_rate=0), ValueError, 'sample_rate: expected an integer >= 1 Hz, got 0'),
        min_samples=(lambda f: D.scan_audio([f.good], min_samples=0), ValueError, 'min_samples: expected an integer >= 1')),
    'data.list_audio': dict(
        missing=(lambda f: D.list_audio(f.t / 'nowhere'), FileNotFoundError, 'folder {t}/nowhere does not exist'),
        empty=(lambda f: D.list_audio(f.empty), ValueError, 'expected audio files (.wav'),
        a_file=(lambda f: D.list_audio(f.good), ValueError, 'expected a folder of audio files, got the file {good}')),
    'data.AudioFolder': dict(
        all_silent=(lambda f: calm(lambda: D.AudioFolder(f.silent)), ValueError, 'none of the 6 files under {silent} can be used'),
        all_silent_list=(lambda f: calm(lambda: D.AudioFolder(files=sorted(f.silent.iterdir()))), ValueError, 'none of the 6 files given'),
        empty_list=(lambda f: D.AudioFolder(files=[]), ValueError, 'files: expected at least one audio file'),
        length=(lambda f: D.AudioFolder(files=[f.good], length=0), ValueError, 'length: expected an integer >= 1'),
        rate=(lambda f: D.AudioFolder(files=[f.good], sample_rate=0), ValueError, 'sample_rate: expected an integer >= 1'),
        stats=(lambda f: D.AudioFolder(files=[f.good], stats=(0.0, 0.0)), ValueError, 'stats: expected a positive std')),
    'data.split_files': dict(
        none=(lambda f: D.split_files([], 0.3), ValueError, 'files: expected enough clips for a training split, got 0'),
        fraction=(lambda f: D.split_files([1, 2], 1.0), ValueError, 'val_fraction: expected a fraction in [0, 1), got 1.0')),
    'stats.stats_key': dict(
        missing=(lambda f: S.stats_key([f.missing], 10), FileNotFoundError, '{missing}: expected a file to hash')),
    'stats.read_stats_file': dict(
        damaged=(lambda f: S.read_stats_file(_damaged(f)), ValueError, '{t}/damaged/mtslvr_stats.json: expected mtslvr statistics')),
    'stats.load_stats': dict(
        damaged=(lambda f: S.load_stats(_damaged(f), 'k'), ValueError, '{t}/damaged/mtslvr_stats.json: expected mtslvr statistics')),
    'stats.save_stats': dict(
        bad_std=(lambda f: S.save_stats(dict(mean=0.0, std=NAN, clips=1, samples=1), f.t / 'kept', 'k'), ValueError,
                 'entry k: expected std a finite number > 0, got nan')),
    'stats.corpus_stats': dict(
        length=(lambda f: S.corpus_stats([f.good], 0, f.t / 'kept'), ValueError, 'length: expected an integer >= 1'),
        missing=(lambda f: S.corpus_stats([f.missing], 100, f.t / 'kept'), FileNotFoundError, '{missing}')),
    'stats.StatsConfig': dict(
        seconds=(lambda f: S.StatsConfig(str(f.silent), seconds=0), ValueError, 'seconds: expected a finite duration'),
        fraction=(lambda f: S.StatsConfig(str(f.silent), val_fraction=1.5), ValueError, 'val_fraction: expected a fraction in [0, 1)'),
        all_silent=(lambda f: calm(lambda: S.folder_stats(S.StatsConfig(str(f.silent)))), ValueError,
                    'folder: none of the 6 audio files under {silent} can be used')),
    'procedural.synth_clip': dict(
        seconds=(lambda f: D.synth_clip('harmonic', 0, torch.Generator()), ValueError, 'seconds: expected a finite duration')),
    'procedural.SyntheticAudio': dict(
        rate=(lambda f: D.SyntheticAudio(2, 1.0, sample_rate=0), ValueError, 'sample_rate: expected an integer >= 1'),
        seconds=(lambda f: D.SyntheticAudio(2, -1.0), ValueError, 'seconds: expected a finite duration')),
    'procedural.SyntheticFewShot': dict(
        seconds=(lambda f: D.SyntheticFewShot(seconds=(0, 1)), ValueError, 'seconds'),
        rate=(lambda f: D.SyntheticFewShot(sample_rate=0), ValueError, 'sample_rate: expected an integer >= 1')),
    'digests.file_digest': dict(
        missing=(lambda f: DG.file_digest(f.missing), FileNotFoundError, '{missing}: expected a file to hash, found nothing'),
        folder=(lambda f: DG.file_digest(f.empty), FileNotFoundError, '{empty}: expected a file to hash, found a folder')),
    'digests.file_digests': dict(
        missing=(lambda f: DG.file_digests([f.good, f.missing]), FileNotFoundError, '{missing}: expected a file to hash'),
        workers=(lambda f: DG.file_digests([f.good], workers=0), ValueError, 'workers: expected an integer >= 1')),
    'embeddings.znorm': dict(
        nan=(lambda f: FS.znorm(nan_clip(10)), ValueError, 'w: expected finite values'),
        int16=(lambda f: FS.znorm(torch.zeros(10, dtype=torch.int16)), ValueError, 'w: expected a floating-point tensor'),
        empty=(lambda f: FS.znorm(torch.zeros(0)), ValueError, 'w: expected a clip with samples'),
        scalar=(lambda f: FS.znorm(torch.tensor(1.0)), ValueError, 'w: expected a waveform with a time axis')),
    'embeddings.segment': dict(
        nan=(lambda f: FS.segment(nan_clip(), 0.5), ValueError, 'clip: expected finite values'),
        int16=(lambda f: FS.segment(torch.zeros(SR, dtype=torch.int16), 0.5), ValueError, 'clip: expected a floating-point tensor'),
        three_dim=(lambda f: FS.segment(torch.zeros(1, 1, SR), 0.5), ValueError, 'clip: expected a clip (L,) or equally long sounds (n, L)'),
        empty=(lambda f: FS.segment(torch.zeros(0), 0.5), ValueError, 'clip: expected a clip with samples'),
        seconds=(lambda f: FS.segment(torch.randn(SR), 0), ValueError, 'seconds: expected a finite duration'),
        rate=(lambda f: FS.segment(torch.randn(SR), 1.0, sample_rate=0), ValueError, 'sample_rate: expected an integer >= 1')),
    'labelled.read_split': dict(
        missing=(lambda f: LB.read_split(f.t / 'nope.txt'), FileNotFoundError, 'split: {t}/nope.txt does not exist')),
    'labelled.recipe_items': dict(
        missing=(lambda f: LB.recipe_items('esc50', f.t / 'nowhere'), FileNotFoundError, 'esc50: expected the dataset folder {t}/nowhere')),
    'labelled.load_dataset': dict(
        missing=(lambda f: LB.load_dataset(str(f.t / 'nowhere')), FileNotFoundError, 'dataset: {t}/nowhere is not a folder')),
    'embeddings.extract_features': dict(
        seconds=(lambda f: FS.extract_features(f.enc, LB.FewShotSet('synthetic'), seconds=0), ValueError, 'seconds: expected a finite duration')),
    'fewshot.sample_episodes': dict(
        too_few=(lambda f: FS.sample_episodes(_features(), 10, k_shot=2, q_queries=3), ValueError,
                 "k_shot, q_queries: a task takes k_shot + q_queries = 5 clips of each class, but class 'a' has 2")),
    'checkpoints.file_kind': dict(
        missing=(lambda f: C.file_kind(f.missing), FileNotFoundError, 'checkpoint: {missing} does not exist')),
    'checkpoints.read_backbone': dict(
        corrupt=(lambda f: C.read_backbone(f.corrupt), ValueError, 'checkpoint {corrupt}: expected a safetensors backbone file')),
    'info.checkpoint_info': dict(
        corrupt=(lambda f: I.checkpoint_info(f.corrupt), ValueError, 'checkpoint {corrupt}: expected an mtslvr backbone'),
        missing=(lambda f: I.checkpoint_info(f.missing), FileNotFoundError, '{missing}: expected a checkpoint file or a run folder'),
        empty=(lambda f: I.checkpoint_info(f.empty), FileNotFoundError, '{empty}: expected a run folder holding last.pt')),
    'checkpoints.load_encoder': dict(
        corrupt=(lambda f: C.load_encoder(f.corrupt), ValueError, 'checkpoint {corrupt}: expected an mtslvr backbone'),
        missing=(lambda f: C.load_encoder(f.missing), FileNotFoundError, 'checkpoint: {missing} does not exist')),
    'checkpoints.load_training_state': dict(
        backbone=(lambda f: C.load_training_state(f.renamed), ValueError,
                  'checkpoint {renamed}: expected a training checkpoint (the last.pt a run writes), got a backbone'),
        corrupt=(lambda f: C.load_training_state(f.corrupt), ValueError, 'checkpoint {corrupt}: expected an mtslvr backbone')),
    'checkpoints.save_backbone': dict(
        suffix=(lambda f: C.save_backbone(f.enc, f.t / 'out.pt'), ValueError, 'path: expected a file name ending in .safetensors')),
    'core.check_waveform': dict(
        nan=(lambda f: CO.check_waveform(nan_clip()[None]), ValueError, 'waveform: expected finite values'),
        short=(lambda f: CO.check_waveform(torch.randn(1, 5), min_length=10), ValueError, 'waveform: expected clips of at least 10 samples')),
    'core.check_sample_rate': dict(
        zero=(lambda f: CO.check_sample_rate(0), ValueError, 'sample_rate: expected a positive integer')),
    'cli.output_folder': dict(
        a_file=(lambda f: CL.output_folder(f.good, ('a',)), NotADirectoryError, 'out_dir: expected a folder, got the file {good}'),
        used=(lambda f: CL.output_folder(f.t, ('good.wav',)), FileExistsError, 'out_dir: {t} already holds results (good.wav)')),
    'evaluate.load_spec': dict(
        relative=(lambda f: E.load_spec('lr=9e-9/best_backbone.safetensors'), FileNotFoundError,
                  "model 'lr=9e-9/best_backbone.safetensors': no checkpoint at 9e-9/best_backbone.safetensors (NAME='lr', "
                  "PATH='9e-9/best_backbone.safetensors') nor at lr=9e-9/best_backbone.safetensors"),
        missing=(lambda f: E.load_spec(str(f.missing)), FileNotFoundError, 'checkpoint: {missing} does not exist'),
        variant=(lambda f: E.load_spec('random:resnet'), ValueError, "model 'random:resnet': expected random:<variant>")),
    'evaluate.calibrate_bn': dict(
        seconds=(lambda f: E.calibrate_bn(f.enc, LB.FewShotSet('synthetic'), seconds=0), ValueError, 'seconds: expected a finite duration')),
    'evaluate.EvalConfig': dict(
        tasks=(lambda f: E.EvalConfig(n_tasks=0), ValueError, 'n_tasks: expected an integer >= 1'),
        used=(lambda f: E.evaluate(E.EvalConfig(models=['random:cont_only'], out_dir=str(_used(f, 'results.json')))), FileExistsError,
              'already holds results (results.json)')),
    'demo.DemoConfig': dict(
        steps=(lambda f: DM.DemoConfig(steps=0), ValueError, 'steps: expected an integer >= 1')),
    'analysis.AnalysisConfig': dict(
        clips=(lambda f: A.AnalysisConfig(clips=1), ValueError, 'clips: expected an integer >= 2'),
        seconds=(lambda f: A.AnalysisConfig(seconds=0.01), ValueError, 'seconds: expected at least'),
        used=(lambda f: A.analyze(A.AnalysisConfig(out_dir=str(_used(f, 'invariance.json')))), FileExistsError,
              'already holds results (invariance.json)')),
    'analysis.invariance': dict(
        nan=(lambda f: A.invariance(f.enc, torch.full((2, SR), NAN), k=1), ValueError, 'clips: expected finite values'),
        short=(lambda f: A.invariance(f.enc, torch.randn(2, 100), k=1), ValueError, 'clips: expected clips of at least 2048 samples')),
    'framework.MTSLVR': dict(
        rate=(lambda f: FW.MTSLVR('cont_only', sample_rate=0), ValueError, 'sample_rate: expected an integer >= 2048 Hz')),
    'hear.get_scene_embeddings': dict(
        nan=(lambda f: H.get_scene_embeddings(nan_clip()[None], H.load_model(str(f.backbone))), ValueError, 'audio: expected finite values')),
    'hear.get_timestamp_embeddings': dict(
        nan=(lambda f: H.get_timestamp_embeddings(nan_clip()[None], H.load_model(str(f.backbone))), ValueError, 'audio: expected finite values')),
    'explorer.example_clips': dict(
        seconds=(lambda f: X.example_clips(0), ValueError, 'seconds: expected a finite duration')),
    'explorer.default_params': dict(
        length=(lambda f: X.default_params(0), ValueError, 'length: expected an integer >= 10')),
    'explorer.controls': dict(
        length=(lambda f: X.controls(0, X.default_params(100)), ValueError, 'length: expected an integer >= 1')),
    'train.RecipeConfig': dict(
        simsiam_batch=(lambda f: T.PretrainConfig(batch_size=1, cont='simsiam'), ValueError,
                       'batch_size: expected at least 2 with --cont simsiam')),
    'train.PretrainConfig': dict(
        clip=(lambda f: T.PretrainConfig(clip_seconds=0.01), ValueError, 'clip_seconds: expected at least')),
    'batches.class_labels': dict(
        outside=(lambda f: T.class_labels([f.good], f.silent), ValueError, 'files: expected files under {silent}'),
        loose=(lambda f: T.class_labels([f.good], f.t), ValueError, 'expects one sub-folder per class under {t}')),
    'checkpoints.prepare_out_dir': dict(
        a_file=(lambda f: T.prepare_out_dir(f.good), NotADirectoryError, 'out_dir: expected a folder, got the file {good}'),
        resume=(lambda f: T.prepare_out_dir(f.empty, resume=True), FileNotFoundError, 'resume: expected a checkpoint at {empty}/last.pt')),
    'train.train_step': dict(
        nan=(lambda f: _step(nan_clip(SR)), ValueError, 'waves: expected finite values')),
    'monitor.Monitor': dict(
        seconds=(lambda f: T.Monitor(['synthetic'], seconds=0), ValueError, 'seconds: expected a finite duration'),
        tasks=(lambda f: T.Monitor(['synthetic'], n_tasks=0), ValueError, 'n_tasks: expected an integer >= 1')),
}
for k in DS.RECIPES:  # every dataset reader, on a folder that is not there
    MATRIX[f'datasets.read_{k}'] = dict(missing=(lambda f, k=k: getattr(DS, f'read_{k}')(f.t / 'nowhere'), FileNotFoundError,
                                                 f'{k}: expected'))
MATRIX['datasets.read_dataset'] = dict(missing=(lambda f: DS.read_dataset('esc50', f.t / 'nowhere'), FileNotFoundError,
                                                'esc50: expected the dataset folder {t}/nowhere'))

# tested with the same strictness in test_bad_input_augment.py (waveforms, lengths, rates, per-clip values)
ELSEWHERE = {'dsp.stft', 'dsp.fast_ratios'} | {f'augmentations.{n}' for n in ('white_noise', 'mixed_noise', 'min_length', 'pitch_shift',
                                      'fade', 'coloured_noise', 'add_noise', 'time_stretch', 'time_masking', 'time_shift')} | {
               f'augment.{n}' for n in ('sample_params', 'draw_params', 'apply_plan', 'TwoViewAugment')} | {'features.ThreeChannelSpec', 'features.three_channel_spec'}

EXEMPT = {  # public name -> why it has no bad-input case
    'augmentations.Augmentation': "a record: its min_length is a function of the sample rate, and its fn is checked (covered there)",
    'dsp.istft': 'inverts a spectrogram that stft made from checked waveforms; not a user entry point for audio',
    'dsp.phase_vocoder': 'stretches a spectrogram that stft made from checked waveforms',
    'dsp.vocoder_stretch': 'called by time_stretch after its checks (covered there)',
    'kernels.kernels_on': 'a predicate on an array: every input is a legitimate question',
    'kernels.fade_rows': 'compiled loop called by fade after its checks (covered there)',
    'models.shortcut_a': "a feature map inside the network, not audio",
    'cli.parse_spec': 'every string is a spec; the caller checks what it names (load_spec, load_dataset)',
    'core.atomic_write': 'writes wherever it is told: the path is an output',
    'checkpoints.save_training_state': 'the path is an output, written through atomic_write (tests/test_outputs.py)',
    'checkpoints.atomic_save': 'writes wherever it is told: the path is an output',
    'checkpoints.remove_temp_files': 'clears temporary files in any folder; a folder without any is fine',
    'analysis.invariance_heatmap': 'the path is an output figure',
    'analysis.selection_plot': 'the path is an output figure',
    'evaluate.plot_results': 'the path is an output figure',
    'monitor.plot_history': 'the path is an output figure',
    'monitor.TensorBoard': 'the folder is an output, created when missing',
    'info.InfoConfig': 'the settings of mtslvr-info; checkpoint_info checks the path when the command runs',
    'evaluate.model_kind': "names a spec's kind (trained, random, baseline) from its form; load_spec checks what it names",
    'datasets.split_recipe_spec': 'a spec that is not RECIPE=ROOT is answered None, for load_dataset to try as a folder',
}


def _damaged(f):
    d = f.t / 'damaged'
    d.mkdir(exist_ok=True)
    (d / S.STATS_FILE).write_text('[1, 2]')
    return d


def _used(f, name):
    d = f.t / f'used_{name}'
    d.mkdir(exist_ok=True)
    (d / name).write_text('{}')
    return d


def _features():
    "Segment features of 5 classes with 2 clips each."
    labels = torch.arange(5).repeat_interleave(2)
    return FS.Features(feats=torch.randn(10, 4), seg_clip=torch.arange(10), clip_label=labels, classes=list('abcde'))


def _step(w):
    m = FW.MTSLVR('cont_only', aug_seed=0, init_seed=0)
    opt = torch.optim.SGD(m.parameters(), lr=0.0)
    return T.train_step(m, opt, None, torch.stack([w, w]))


CASES = [(name, case) for name in MATRIX for case in MATRIX[name]]


@pytest.mark.parametrize('name,case', CASES, ids=[f'{n}-{c}' for n, c in CASES])
def test_bad_input_is_refused_by_name(f, name, case):
    call, exc, words = MATRIX[name][case]
    words = words.format(**{k: v for k, v in vars(f).items() if isinstance(v, Path)})
    with pytest.raises(exc) as e:
        call(f)
    assert words in str(e.value), f'{name} ({case}): {e.value!r} does not say {words!r}'
    assert not re.search(r'Traceback|\bErrno\b', str(e.value)), str(e.value)


def public_input_names():
    "module.name of every public function or class whose signature takes audio, a rate, a length, a file or a folder."
    found = {}
    for m in pkgutil.iter_modules(mtslvr.__path__):
        if m.name.startswith('_'):
            continue
        mod = importlib.import_module(f'mtslvr.{m.name}')
        for n in getattr(mod, '__all__', []):
            o = getattr(mod, n)
            if not callable(o) or getattr(o, '__module__', None) != mod.__name__:
                continue
            try:
                params = set(inspect.signature(o).parameters)
            except (TypeError, ValueError):
                continue
            if params & INPUTS:
                found[f'{m.name}.{n}'] = sorted(params & INPUTS)
    return found


def test_every_public_input_is_in_the_matrix():
    "A public function or class that takes audio, a rate, a length or a path cannot be added without bad-input cases."
    found = public_input_names()
    missing = {n: p for n, p in found.items() if n not in MATRIX and n not in ELSEWHERE and n not in EXEMPT}
    assert not missing, f'add bad-input cases (or an exemption with its reason) for: {missing}'
    stale = sorted((ELSEWHERE | set(EXEMPT)) - set(found))
    assert not stale, f'entries for names that no longer take such inputs: {stale}'
    gone = [n for n in MATRIX if not hasattr(importlib.import_module(f"mtslvr.{n.split('.')[0]}"), n.split('.')[1])]
    assert not gone, f'cases for names that no longer exist: {gone}'
    text = (ROOT / 'tests' / 'test_bad_input_augment.py').read_text()
    assert all(n.split('.')[-1] in text for n in ELSEWHERE)
