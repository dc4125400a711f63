"""A small CNN trained on the real 16x16 digits, used to score generated samples.

Two scores come from it: the Fréchet distance between its 64-dimensional
features of real and generated images (the FID recipe of Heusel et al. 2017,
arXiv:1706.08500, with this classifier in place of Inception), and how many of
the ten digit classes the generated samples cover with a confident prediction.

The classifier trains in a few seconds with a fixed seed, so every demo scores
with the same weights; they are cached in ``DATA_DIR/cache``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

CLASSIFIER_CACHE_VERSION = 1
FEATURE_SIZE = 64
TRAINING_SEED = 0
TEST_SIZE = 297  # held out of the 1,797 digits to report accuracy
EPOCHS = 10
CONFIDENCE = 0.9  # a prediction counts towards class coverage above this
MIN_CLASS_SHARE = 0.02  # a class is covered when this share of samples has it


class DigitsClassifier(nn.Module):
    """Two conv blocks and two linear layers; ``features`` is the 64-d layer."""

    def __init__(self) -> None:
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(32 * 4 * 4, FEATURE_SIZE),
            nn.ReLU(),
        )
        self.head = nn.Linear(FEATURE_SIZE, 10)

    def features(self, images: torch.Tensor) -> torch.Tensor:
        return self.body(images)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.head(self.body(images))


def cache_path(cache_dir: Path) -> Path:
    return (
        Path(cache_dir)
        / "cache"
        / f"digits-classifier-16-v{CLASSIFIER_CACHE_VERSION}.pt"
    )


def train_classifier(
    images: torch.Tensor, labels: torch.Tensor
) -> tuple[DigitsClassifier, float]:
    """Train on all but TEST_SIZE digits; return the model and held-out accuracy."""
    generator = torch.Generator().manual_seed(TRAINING_SEED)
    torch.manual_seed(TRAINING_SEED)
    order = torch.randperm(images.size(0), generator=generator)
    test_indices, train_indices = order[:TEST_SIZE], order[TEST_SIZE:]
    images = images.cpu().contiguous()
    labels = labels.cpu()

    model = DigitsClassifier()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(EPOCHS):
        shuffled = train_indices[
            torch.randperm(train_indices.numel(), generator=generator)
        ]
        for batch in shuffled.split(64):
            optimizer.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(images[batch]), labels[batch])
            loss.backward()
            optimizer.step()

    model.eval()
    with torch.no_grad():
        predictions = model(images[test_indices]).argmax(dim=1)
    accuracy = (predictions == labels[test_indices]).float().mean().item()
    return model, accuracy


def load_classifier(
    images: torch.Tensor, labels: torch.Tensor, cache_dir: Path | None
) -> tuple[DigitsClassifier, float]:
    """Return the cached classifier and its held-out accuracy, training it if needed."""
    path = cache_path(cache_dir) if cache_dir is not None else None
    if path is not None and path.exists():
        try:
            saved = torch.load(path, map_location="cpu", weights_only=True)
            model = DigitsClassifier()
            model.load_state_dict(saved["state_dict"])
            model.eval()
            return model, float(saved["accuracy"])
        except (OSError, RuntimeError, KeyError, ValueError):
            path.unlink(missing_ok=True)  # a broken cache is rebuilt

    model, accuracy = train_classifier(images, labels)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        torch.save({"state_dict": model.state_dict(), "accuracy": accuracy}, temporary)
        temporary.replace(path)
    return model, accuracy


class SampleScorer:
    """Scores generated digits against the real ones with the classifier."""

    def __init__(
        self, images: torch.Tensor, labels: torch.Tensor, cache_dir: Path | None
    ) -> None:
        self.classifier, self.accuracy = load_classifier(images, labels, cache_dir)
        self.real_statistics = feature_statistics(self.extract_features(images))

    @torch.no_grad()
    def extract_features(self, images: torch.Tensor) -> np.ndarray:
        images = images.detach().float().cpu().contiguous()
        return self.classifier.features(images).double().numpy()

    def frechet_distance(self, samples: torch.Tensor) -> float:
        """Fréchet distance between real and sample features (0 = same Gaussian)."""
        sample_statistics = feature_statistics(self.extract_features(samples))
        return frechet_distance(self.real_statistics, sample_statistics)

    @torch.no_grad()
    def count_classes(self, samples: torch.Tensor) -> int:
        """Count digit classes predicted with confidence for at least
        MIN_CLASS_SHARE of the samples."""
        logits = self.classifier(samples.detach().float().cpu().contiguous())
        confidence, predicted = F.softmax(logits, dim=1).max(dim=1)
        confident = predicted[confidence > CONFIDENCE]
        counts = torch.bincount(confident, minlength=10)
        return int((counts >= MIN_CLASS_SHARE * samples.size(0)).sum().item())


def feature_statistics(features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return features.mean(axis=0), np.cov(features, rowvar=False)


def frechet_distance(
    first: tuple[np.ndarray, np.ndarray], second: tuple[np.ndarray, np.ndarray]
) -> float:
    """Return |mu1 - mu2|^2 + tr(S1 + S2 - 2 (S1 S2)^(1/2)).

    tr((S1 S2)^(1/2)) equals the trace of the square root of the symmetric
    matrix S1^(1/2) S2 S1^(1/2), whose eigenvalues eigh computes stably.
    """
    mean_first, covariance_first = first
    mean_second, covariance_second = second
    eigenvalues, eigenvectors = np.linalg.eigh(covariance_first)
    root_first = (
        eigenvectors * np.sqrt(np.clip(eigenvalues, 0, None))
    ) @ eigenvectors.T
    product = root_first @ covariance_second @ root_first
    trace_root = np.sqrt(np.clip(np.linalg.eigvalsh(product), 0, None)).sum()
    difference = mean_first - mean_second
    return float(
        difference @ difference
        + np.trace(covariance_first)
        + np.trace(covariance_second)
        - 2.0 * trace_root
    )
