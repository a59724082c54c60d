"""One MT-SLVR training step on a fixed global batch, in one process or several (torchrun); writes the results.

    python tests/ddp_step.py OUT.json
    torchrun --standalone --nproc_per_node 2 tests/ddp_step.py OUT.json

Batch norms use their running statistics (eval mode) so that the result cannot depend on how the batch is split;
everything else is the training path: sharded augmentation, differentiable all-gather for NT-Xent, DDP gradients.
"""
import json
import sys

import torch

from mtslvr.data import SyntheticAudio
from mtslvr.framework import MTSLVR
from mtslvr.distributed import _mean_across, all_gather_with_grad, init_distributed
from mtslvr.train import train_step


def main(out_path, variant='mt_parallel', global_batch=8):
    rank, world, device = init_distributed('cpu')
    model = MTSLVR(variant, aug_seed=3, init_seed=0, gather=all_gather_with_grad if world > 1 else None)
    for m in model.modules():
        if isinstance(m, torch.nn.modules.batchnorm._BatchNorm):
            m.eval()
    net = torch.nn.parallel.DistributedDataParallel(model) if world > 1 else model
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    data = SyntheticAudio(n=global_batch, seconds=1.0, seed=5)
    waves = torch.stack([data[i] for i in range(global_batch)])
    mine = waves.tensor_split(world)[rank]
    r = train_step(net, opt, None, mine, (rank, world, global_batch) if world > 1 else None)
    loss, cont = _mean_across(float(r['loss']), world, device), _mean_across(float(r['cont_loss']), world, device)  # every rank
    params = torch.cat([p.detach().flatten() for p in model.backbone.parameters()])
    if rank == 0:
        json.dump(dict(world=world, loss=loss, cont=cont, params_head=params[:2000].tolist(), params_sum=params.double().sum().item()), open(out_path, 'w'))
    if world > 1:
        torch.distributed.destroy_process_group()


if __name__ == '__main__':
    main(sys.argv[1])
