"""bench/device_check.py --quick: every stage runs at tiny sizes on CPU, passes, and leaves a complete JSON record."""
import json
import sys

from conftest import run

STAGES = ('notebooks', 'augment', 'train_step', 'resume', 'features')


def test_device_check_quick(tmp_path):
    out = tmp_path / 'x.json'
    r = run([sys.executable, 'bench/device_check.py', '--quick', '--out', str(out)], timeout=300)
    assert out.exists(), r.stdout[-3000:] + r.stderr[-3000:]
    doc = json.loads(out.read_text())
    status = {k: v.get('status') for k, v in doc['stages'].items()}
    assert r.returncode == 0, f'{status}\n{r.stdout[-4000:]}\n{r.stderr[-2000:]}'
    assert doc['passed'] and status == dict.fromkeys(STAGES, 'ok'), status
    for rec in doc['stages'].values():  # host facts travel with every stage
        assert {'device_name', 'torch', 'cuda', 'cudnn', 'torchaudio', 'git_sha', 'driver'} <= rec['env'].keys()
    s = doc['stages']
    assert s['notebooks']['total'] >= 2 and all(nb['passed'] for nb in s['notebooks']['notebooks'].values())
    case = s['augment']['cases'][0]
    assert min(case[f'{k}_clips_per_s'] for k in ('batched', 'loop', 'authors')) > 0 and len(case['per_aug']) == 7
    step = s['train_step']
    assert all(f['step_flops'] > 0 and abs(f['torch_flop_counter_ratio'] - 1) < 0.01 for f in step['flops'].values())
    runs = {(x['variant'], x['mode']): x for x in step['runs']}
    assert {('mt_parallel', 'fp32'), ('mt_parallel', 'bf16'), ('cont_only', 'fp32'), ('cont_only', 'bf16')} <= runs.keys()
    assert all(x['ms_per_step'] > 0 and x['tflops'] > 0 and x['finite'] and 0 < x['augment_share'] < 1 for x in runs.values())
    assert s['resume']['bit_identical'] and s['resume']['max_abs_diff'] == 0 and s['resume']['resumed']
    f = s['features']
    assert f['within_ci'] and f['cosine_min'] > 0.9 and min(t['clips_per_s'] for t in f['throughput'].values()) > 0
    assert 'train_step' in r.stdout and str(out) in r.stdout  # the table and the JSON path are printed
