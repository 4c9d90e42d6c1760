"""Full training steps of mtl-seed in PyTorch on the CPU, for `mtl-bench train`'s side-by-side.

The same network as @repo/model's `mtl-seed` (191,747 parameters at 128×128, batch-norm moving
statistics counted as Keras does), the same step (forward in training mode, MAE on position +
cross-entropy on shape and colour, backward, Adam) on a synthetic batch. Prints one JSON line:
{"backend": "pytorch <version>", "threads": n, "params": p, "stepSeconds": [...]}.

Usage: torch_train_step.py --threads N --size S --batch B --width W --steps K --warmup U
"""

import argparse
import json
import time
import warnings

import torch
from torch import nn

# [filters, kernel, padding] per conv -> batch-norm -> relu -> maxpool(2) block (layouts.ts).
BACKBONE = [(32, 10, "valid"), (64, 3, "valid"), (64, 3, "valid"), (128, 2, "valid"), (32, 3, "valid"), (64, 3, "same")]
POSITION_CONV = (32, 4)


def scaled(n: int, width: float) -> int:
    return max(1, int(n * width + 0.5))  # JavaScript's Math.round, as layer-factory.ts


class MtlSeed(nn.Module):
    def __init__(self, size: int, width: float) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        channels, side = 3, size
        for filters, kernel, padding in BACKBONE:
            filters = scaled(filters, width)
            layers += [
                nn.Conv2d(channels, filters, kernel, padding=padding),
                nn.BatchNorm2d(filters, eps=1e-3, momentum=0.01),
                nn.ReLU(),
                # TF's 'same' pooling keeps ceil(side / 2) pixels, 'valid' floor(side / 2).
                nn.MaxPool2d(2, ceil_mode=padding == "same"),
            ]
            channels = filters
            side = side if padding == "same" else side - kernel + 1
            side = -(-side // 2) if padding == "same" else side // 2
        self.backbone = nn.Sequential(*layers)
        shared = channels * side * side
        filters, kernel = POSITION_CONV
        filters = scaled(filters, width)
        hidden = scaled(100, width)
        pooled = -(-side // 2)
        self.position = nn.Sequential(
            nn.Conv2d(channels, filters, kernel, padding="same"),
            nn.ReLU(),
            nn.MaxPool2d(2, ceil_mode=True),
            nn.Flatten(),
            nn.Linear(filters * pooled * pooled, hidden),
            nn.ReLU(),
            nn.Linear(hidden, 2),
        )
        self.shape = nn.Sequential(nn.Flatten(), nn.Dropout(0.5), nn.Linear(shared, 4), nn.ReLU(), nn.Linear(4, 3))
        self.colour = nn.Sequential(nn.Flatten(), nn.Dropout(0.7), nn.Linear(shared, 4), nn.ReLU(), nn.Linear(4, 6))

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        shared = self.backbone(x)
        return self.position(shared), self.shape(shared), self.colour(shared)


def count_params(model: nn.Module) -> int:
    # Keras counts batch-norm's moving mean and variance as (non-trainable) weights.
    moving = sum(b.numel() for name, b in model.named_buffers() if name.endswith(("running_mean", "running_var")))
    return sum(p.numel() for p in model.parameters()) + moving


def main() -> None:
    parser = argparse.ArgumentParser()
    for name, kind, default in [("threads", int, 1), ("size", int, 128), ("batch", int, 16), ("width", float, 1.0), ("steps", int, 10), ("warmup", int, 2)]:
        parser.add_argument(f"--{name}", type=kind, default=default)
    args = parser.parse_args()
    # The position conv's even kernel with padding="same" pads a copy: said once per process, not news.
    warnings.filterwarnings("ignore", message="Using padding='same' with even kernel")
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    model = MtlSeed(args.size, args.width)
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    # Images [b, 3, S, S] in [0, 1], positions ÷ S, class indices.
    images = torch.rand(args.batch, 3, args.size, args.size)
    positions = torch.rand(args.batch, 2)
    shapes = torch.randint(0, 3, (args.batch,))
    colours = torch.randint(0, 6, (args.batch,))

    def step() -> None:
        optimizer.zero_grad(set_to_none=True)
        position, shape, colour = model(images)
        loss = (
            nn.functional.l1_loss(position, positions)
            + nn.functional.cross_entropy(shape, shapes)
            + nn.functional.cross_entropy(colour, colours)
        )
        loss.backward()
        optimizer.step()
        loss.item()

    for _ in range(args.warmup):
        step()
    seconds = []
    for _ in range(args.steps):
        started = time.perf_counter()
        step()
        seconds.append(time.perf_counter() - started)
    print(json.dumps({"backend": f"pytorch {torch.__version__}", "threads": torch.get_num_threads(), "params": count_params(model), "stepSeconds": seconds}))


if __name__ == "__main__":
    main()
