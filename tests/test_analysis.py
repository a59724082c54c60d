"""The analyses from the command line, on the embedded few-shot set with random-init encoders."""
import json

from conftest import run


def test_analysis_command(tmp_path):
    "mtslvr-analysis writes the invariance and selection tables, JSON and figures; values are in range."
    r = run(['mtslvr-analysis', '--models', 'random:mt_parallel', '--clips', '16', '--grid', '1', '--n-tasks', '20',
             '--out-dir', str(tmp_path)], timeout=900)
    assert r.returncode == 0, r.stderr[-3000:]
    assert '| random mt_parallel | contrastive |' in r.stdout
    inv = json.loads((tmp_path / 'invariance.json').read_text())['random mt_parallel']
    assert set(inv) == {'contrastive', 'predictive', 'all'}
    assert all(-1 <= v['invariance'] <= 1 for h in inv.values() for k, v in h.items() if isinstance(v, dict))
    sel = json.loads((tmp_path / 'selection.json').read_text())['random mt_parallel']['synthetic']
    assert abs(sel['dataset']['C'] + sel['dataset']['P'] - 1) < 1e-9
    assert (tmp_path / 'invariance.png').stat().st_size > 0 and (tmp_path / 'selection.png').stat().st_size > 0
