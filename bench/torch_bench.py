#!/usr/bin/env python3
"""PyTorch side of `npm run bench`: the same workloads and shapes as `transfer-lab bench`, with a
minimal plain-PyTorch BERT and GPT-2 (no transformers, no nn.TransformerEncoder) doing the same
matmuls, on the CPU with 2 threads. Prints one JSON summary line, like the CLI's --json.

Same arguments as the CLI: --workload --family --layers --hidden --heads --ffn --vocab --seq
--batch --positions --steps --warmup --new-tokens --sizes --threads --seed.
"""
import argparse
import json
import math
import os
import resource
import statistics
import struct
import sys
import tempfile
import time

import torch
import torch.nn.functional as F
from torch import nn


# ---------------------------------------------------------------------------------------------
# Models: the engine's layer order and sizes, HF tensor names not needed.

class Attention(nn.Module):
    def __init__(self, hidden, heads, dropout, fused):
        super().__init__()
        self.heads, self.dropout = heads, dropout
        # GPT-2 projects q, k, v in one Conv1D (c_attn); BERT in three Linear layers, as the engine does.
        self.qkv = nn.Linear(hidden, 3 * hidden) if fused else None
        self.q, self.k, self.v = (None, None, None) if fused else (nn.Linear(hidden, hidden), nn.Linear(hidden, hidden), nn.Linear(hidden, hidden))
        self.out = nn.Linear(hidden, hidden)

    def split(self, x):  # [B, T, H] -> [B, h, T, D]
        B, T, H = x.shape
        return x.view(B, T, self.heads, H // self.heads).transpose(1, 2)

    def forward(self, x, bias, past=None):
        if self.qkv is not None:
            q, k, v = self.qkv(x).chunk(3, dim=-1)
        else:
            q, k, v = self.q(x), self.k(x), self.v(x)
        q, k, v = self.split(q), self.split(k), self.split(v)
        if past is not None:
            k, v = torch.cat([past[0], k], 2), torch.cat([past[1], v], 2)
        scores = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1]) + bias  # [B, h, Tq, Tk]
        probs = scores.softmax(-1)
        ctx = F.dropout(probs, self.dropout, self.training) @ v
        B, h, T, D = ctx.shape
        return self.out(ctx.transpose(1, 2).reshape(B, T, h * D)), probs, (k, v)


class Layer(nn.Module):
    def __init__(self, a, pre_norm):
        super().__init__()
        self.pre_norm, self.dropout = pre_norm, a.dropout
        self.attn = Attention(a.hidden, a.heads, a.dropout, fused=pre_norm)
        self.ln1, self.ln2 = nn.LayerNorm(a.hidden, eps=a.eps), nn.LayerNorm(a.hidden, eps=a.eps)
        self.fc_in, self.fc_out = nn.Linear(a.hidden, a.ffn), nn.Linear(a.ffn, a.hidden)
        self.act = (lambda x: F.gelu(x, approximate='tanh')) if pre_norm else F.gelu

    def forward(self, x, bias, past=None):
        drop = lambda t: F.dropout(t, self.dropout, self.training)
        if self.pre_norm:  # GPT-2
            y, probs, present = self.attn(self.ln1(x), bias, past)
            x = x + drop(y)
            return x + drop(self.fc_out(self.act(self.fc_in(self.ln2(x))))), probs, present
        y, probs, present = self.attn(x, bias)  # BERT: post-norm
        x = self.ln1(x + drop(y))
        return self.ln2(x + drop(self.fc_out(self.act(self.fc_in(x))))), probs, present


class Bert(nn.Module):
    def __init__(self, a, head):
        super().__init__()
        self.head, self.dropout = head, a.dropout
        self.word, self.pos, self.token_type = nn.Embedding(a.vocab, a.hidden), nn.Embedding(a.positions, a.hidden), nn.Embedding(2, a.hidden)
        self.ln = nn.LayerNorm(a.hidden, eps=a.eps)
        self.layers = nn.ModuleList([Layer(a, pre_norm=False) for _ in range(a.layers)])
        if head == 'classifier':
            self.pooler, self.classifier = nn.Linear(a.hidden, a.hidden), nn.Linear(a.hidden, 2)
        elif head == 'mlm':
            self.transform, self.mlm_ln = nn.Linear(a.hidden, a.hidden), nn.LayerNorm(a.hidden, eps=a.eps)
            self.mlm_bias = nn.Parameter(torch.zeros(a.vocab))

    def forward(self, ids, attentions=False, predicted=None):
        B, T = ids.shape
        pos = torch.arange(T).expand(B, T)
        x = F.dropout(self.ln(self.word(ids) + self.pos(pos) + self.token_type(torch.zeros_like(ids))), self.dropout, self.training)
        bias = torch.zeros(B, 1, 1, T)  # no padding: the engine's padding bias is all zeros too
        probs_all = []
        for layer in self.layers:
            x, probs, _ = layer(x, bias)
            probs_all.append(probs)
        if self.head == 'classifier':
            pooled = torch.tanh(self.pooler(x[:, 0]))
            return self.classifier(F.dropout(pooled, self.dropout, self.training))
        if self.head == 'mlm':
            # The masked positions only (BERT's gather_indexes), as the engine's pretraining step does.
            x = x.reshape(B * T, -1)[predicted] if predicted is not None else x
            t = self.mlm_ln(F.gelu(self.transform(x)))
            return t @ self.word.weight.t() + self.mlm_bias
        return probs_all if attentions else x


class Gpt2(nn.Module):
    def __init__(self, a):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(a.vocab, a.hidden), nn.Embedding(a.positions, a.hidden)
        self.layers = nn.ModuleList([Layer(a, pre_norm=True) for _ in range(a.layers)])
        self.ln_f = nn.LayerNorm(a.hidden, eps=1e-5)

    def forward(self, ids, past):
        T = ids.shape[1]
        start = 0 if past is None else past[0][0].shape[2]
        x = self.wte(ids) + self.wpe(torch.arange(start, start + T))[None]
        causal = torch.full((T, start + T), -1e9).triu(start + 1)[None, None]
        presents = []
        for i, layer in enumerate(self.layers):
            x, _, present = layer(x, causal, None if past is None else past[i])
            presents.append(present)
        return self.ln_f(x) @ self.wte.weight.t(), presents  # LM head at every position, as the engine


def random_init(model, std=0.02):
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.dim() >= 2:
                p.normal_(0, std)
            elif 'ln' in name or name.endswith('weight'):
                p.fill_(1.0)
            else:
                p.zero_()


# ---------------------------------------------------------------------------------------------
# Workloads

def timed(warmup, steps, fn):
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(steps):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def random_ids(a, g):
    ids = torch.randint(5, a.vocab, (a.batch, a.seq), generator=g)
    ids[:, 0], ids[:, -1] = 2, 3
    return ids


def train(a, g):
    mlm = a.workload == 'mlm'
    model = Bert(a, 'mlm' if mlm else 'classifier')
    random_init(model)
    model.train()
    decay = [p for n, p in model.named_parameters() if not (n.endswith('bias') or 'ln' in n)]
    no_decay = [p for n, p in model.named_parameters() if n.endswith('bias') or 'ln' in n]
    opt = torch.optim.AdamW([{'params': decay, 'weight_decay': 0.01}, {'params': no_decay, 'weight_decay': 0.0}], lr=5e-5, eps=1e-8)
    ids = random_ids(a, g)
    if mlm:
        masked = (torch.rand(ids.shape, generator=g) < 0.15)
        masked[:, 0] = masked[:, -1] = False
        inputs = torch.where(masked, torch.full_like(ids, 4), ids)
        predicted = masked.view(-1).nonzero().squeeze(1)
        targets = ids.view(-1)[predicted]
        loss_fn = lambda: F.cross_entropy(model(inputs, predicted=predicted), targets)
    else:
        labels = torch.arange(a.batch) % 2
        loss_fn = lambda: F.cross_entropy(model(ids), labels)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
    return {'timesMs': timed(a.warmup, a.steps, step), 'tokensPerRun': a.batch * a.seq}


def features(a, g):
    attention = a.workload == 'attention'
    if attention:
        a.batch = 1
    model = Bert(a, 'base')
    random_init(model)
    model.eval()
    ids = random_ids(a, g)

    def run():
        with torch.no_grad():
            out = model(ids, attentions=attention)
            for t in (out if attention else [out]):
                t.numpy()  # what a request would serialise
    return {'timesMs': timed(a.warmup, a.steps, run), 'tokensPerRun': a.batch * a.seq}


def generate(a, g):
    model = Gpt2(a)
    random_init(model)
    model.eval()
    prompt = torch.randint(0, a.vocab, (1, a.seq), generator=g)
    first = []

    def run(n_new):
        t0 = time.perf_counter()
        with torch.no_grad():
            feed, past = prompt, None
            for n in range(n_new):
                logits, past = model(feed, past)
                feed = logits[:, -1].argmax(-1, keepdim=True)
                if n == 0:
                    first.append((time.perf_counter() - t0) * 1000)
    for _ in range(a.warmup):
        run(min(a.new_tokens, 8))
    first.clear()
    times = timed(0, a.steps, lambda: run(a.new_tokens))
    return {'timesMs': times, 'tokensPerRun': a.new_tokens, 'timeToFirstTokenMs': statistics.median(first)}


def write_safetensors(path, tensors):
    header, offset, blobs = {}, 0, []
    for name, t in tensors.items():
        data = t.detach().contiguous().numpy().tobytes()
        header[name] = {'dtype': 'F32', 'shape': list(t.shape), 'data_offsets': [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    head = json.dumps(header).encode()
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(head)) + head)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    import numpy as np
    buf = bytearray(os.path.getsize(path))  # writable, so torch can share it without a copy
    with open(path, 'rb') as f:
        f.readinto(buf)
    n = struct.unpack('<Q', buf[:8])[0]
    header = json.loads(buf[8:8 + n])
    return {k: torch.from_numpy(np.frombuffer(buf, dtype=np.float32, count=math.prod(v['shape']), offset=8 + n + v['data_offsets'][0]).reshape(v['shape']))
            for k, v in header.items() if k != '__metadata__'}


class no_init:
    """Skips nn.init inside module constructors while loading, as transformers' no_init_weights does."""
    NAMES = ('kaiming_uniform_', 'uniform_', 'normal_', 'ones_', 'zeros_')

    def __enter__(self):
        self.saved = {n: getattr(nn.init, n) for n in self.NAMES}
        for n in self.NAMES:
            setattr(nn.init, n, lambda t, *args, **kwargs: t)

    def __exit__(self, *exc):
        for n, f in self.saved.items():
            setattr(nn.init, n, f)


def load(a, g):
    """Save a BERT to safetensors, then time: read the file, build the model (no init), copy weights in."""
    model = Bert(a, 'base')
    random_init(model)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, 'model.safetensors')
        t0 = time.perf_counter()
        write_safetensors(path, model.state_dict())
        save_s = time.perf_counter() - t0
        del model

        def run():
            with no_init():
                fresh = Bert(a, 'base')
            fresh.load_state_dict(read_safetensors(path))
        return {'timesMs': timed(a.warmup, a.steps, run), 'tokensPerRun': None, 'details': {'saveSeconds': save_s}}


def matmul(a, g):
    details, per_size, times = {}, [], []
    for n in a.sizes:
        x, y = torch.rand(n, n, generator=g), torch.rand(n, n, generator=g)
        group = max(1, round((256 / n) ** 3))
        ms = statistics.median(timed(a.warmup, max(a.steps, 3), lambda: [x @ y for _ in range(group)])) / group
        gflops = 2 * n ** 3 / (ms / 1000) / 1e9
        details[f'n{n}'] = gflops
        per_size.append(gflops)
        times.append(ms)
    details['best'] = max(per_size)
    return {'timesMs': times, 'tokensPerRun': None, 'value': statistics.median(per_size), 'details': details}


WORKLOADS = {'train': train, 'mlm': train, 'features': features, 'attention': features, 'generate': generate, 'load': load, 'matmul': matmul}
UNITS = {'train': 'tokens/s', 'mlm': 'tokens/s', 'features': 'tokens/s', 'generate': 'tokens/s', 'attention': 'ms', 'load': 's', 'matmul': 'GFLOP/s'}


def blas_library():
    """The BLAS this process actually mapped (Debian's torch uses whatever libblas.so.3 points at)."""
    try:
        with open('/proc/self/maps') as f:
            libs = {line.split()[-1] for line in f if 'blas' in line.lower() or 'mkl' in line.lower()}
        return ', '.join(sorted(os.path.basename(os.path.dirname(p)) + '/' + os.path.basename(p) for p in libs)) or 'unknown'
    except OSError:
        return 'unknown'


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--workload', choices=list(WORKLOADS), default='train')
    p.add_argument('--family', choices=['bert', 'gpt2'], default='bert')
    for name, default in [('layers', 2), ('hidden', 128), ('heads', 2), ('ffn', 512), ('vocab', 8192), ('seq', 64), ('batch', 32),
                          ('positions', 512), ('steps', 5), ('warmup', 1), ('new-tokens', 128), ('threads', 2), ('seed', 1)]:
        p.add_argument('--' + name, type=int, default=default)
    p.add_argument('--sizes', type=lambda s: [int(x) for x in s.split(',')], default=[128, 256, 384, 512, 768, 1024])
    p.add_argument('--json', action='store_true')
    a = p.parse_args()
    a.dropout, a.eps = 0.1, (1e-5 if a.family == 'gpt2' else 1e-12)
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    g = torch.Generator().manual_seed(a.seed)
    usage0, wall0 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    r = WORKLOADS[a.workload](a, g)
    usage1, wall = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter() - wall0
    cpu = (usage1.ru_utime - usage0.ru_utime) + (usage1.ru_stime - usage0.ru_stime)
    ms = statistics.median(r['timesMs'])
    tps = None if r['tokensPerRun'] is None else r['tokensPerRun'] / (ms / 1000)
    unit = UNITS[a.workload]
    value = r.get('value', tps if unit == 'tokens/s' else ms if unit == 'ms' else ms / 1000)
    print(json.dumps({
        'type': 'summary', 'workload': a.workload, 'value': value, 'unit': unit, 'medianMs': ms, 'timesMs': r['timesMs'],
        'tokensPerSec': tps, 'timeToFirstTokenMs': r.get('timeToFirstTokenMs'), 'details': r.get('details', {}),
        'peakRssMb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 'torchVersion': torch.__version__,
        'threads': torch.get_num_threads(), 'cpuShare': cpu / wall / torch.get_num_threads(), 'blas': blas_library(), 'device': f'CPU ({torch.get_num_threads()} threads)',
    }))


if __name__ == '__main__':
    sys.exit(main())
