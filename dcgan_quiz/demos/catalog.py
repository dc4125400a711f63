"""Names, claims and question ids of the demos, importable without torch.

``dcgan-quiz demo`` lists this catalog without loading torch; the code that
trains and measures lives in one module per demo (``DemoInfo.module``). Each
claim states only what the demo measured on the real DCGAN classes; the
thresholds that decide it live in the demo's module.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoInfo:
    """One demo: its name, the questions it backs and the claim it tests."""

    name: str
    module: str
    questions: tuple[str, ...]
    claim_en: str
    claim_ko: str

    def claim(self, language: str = "en") -> str:
        return self.claim_ko if language == "ko" else self.claim_en


CATALOG: tuple[DemoInfo, ...] = (
    DemoInfo(
        name="leaky-relu",
        module="leaky_relu",
        questions=("relu-vs-leaky-relu", "relu-leaky-relu-deeper"),
        claim_en=(
            "In D, ReLU outputs exactly zero for about half of its activations and "
            "passes no gradient there, LeakyReLU for none. A channel pushed "
            "negative gets exactly zero weight gradient at every step with ReLU "
            "and a non-zero one with LeakyReLU. With BatchNorm at lr 2e-4 no "
            "whole channel dies and the gradient reaching G's output is not "
            "smaller with ReLU."
        ),
        claim_ko=(
            "D에서 ReLU는 활성값의 약 절반을 정확히 0으로 만들고 그 자리로는 "
            "그래디언트가 흐르지 않지만, LeakyReLU는 0이 되는 값이 없다. 음수로 "
            "밀린 채널은 ReLU에서 매 스텝 가중치 그래디언트가 정확히 0이고 "
            "LeakyReLU에서는 0이 아니다. BatchNorm이 있고 학습률이 2e-4이면 채널 "
            "전체가 죽지 않으며, G의 출력에 닿는 그래디언트도 ReLU 쪽이 작지 않다."
        ),
    ),
    DemoInfo(
        name="adam",
        module="adam",
        questions=("why-adam",),
        claim_en=(
            "With the same steps at lr 2e-4, Adam with beta1 0.5 and RMSprop both "
            "reach a Fréchet distance at least 2 times lower than Adam with beta1 "
            "0.9 and SGD with momentum 0.9, and cover more digit classes. Adam "
            "with beta1 0.5 and RMSprop are within a factor of 2 of each other."
        ),
        claim_ko=(
            "학습률 2e-4로 같은 스텝을 학습하면 beta1 0.5인 Adam과 RMSprop 모두 "
            "beta1 0.9인 Adam과 모멘텀 0.9인 SGD보다 프레셰 거리가 2배 이상 낮고 "
            "더 많은 숫자 클래스를 만든다. beta1 0.5인 Adam과 RMSprop의 차이는 "
            "2배 안쪽이다."
        ),
    ),
    DemoInfo(
        name="transposed-conv",
        module="transposed_conv",
        questions=("conv-vs-transposed-conv",),
        claim_en=(
            "Each ConvTranspose2d of G follows (H - 1)s - 2p + k + output_padding; "
            "conv_transpose2d equals the input gradient of conv2d with the same "
            "weight; with constant weights kernel 3 stride 2 overlaps unevenly "
            "(1:2:2:4) where kernel 4 stride 2 is even; and at random init a G "
            "built from transposed convolutions of either kernel has at least 5 "
            "times the checkerboard energy of a resize-convolution G."
        ),
        claim_ko=(
            "G의 각 ConvTranspose2d 출력 크기는 (H - 1)s - 2p + k + output_padding "
            "이다. conv_transpose2d는 같은 가중치를 쓴 conv2d의 입력 그래디언트와 "
            "같다. 가중치가 모두 같을 때 커널 3, 스트라이드 2는 겹침이 고르지 "
            "않고(1:2:2:4) 커널 4, 스트라이드 2는 고르다. 무작위 초기화에서는 "
            "커널 크기와 상관없이 전치 합성곱 G의 체커보드 에너지가 "
            "resize-convolution G의 5배 이상이다."
        ),
    ),
    DemoInfo(
        name="tanh-range",
        module="tanh_range",
        questions=("tanh-and-sigmoid",),
        claim_en=(
            "A Tanh G produces values in (-1, 1), like the data scaled to [-1, 1]. "
            "A G ending in Sigmoid cannot produce the negative half of that range: "
            "D separates real from fake within 50 steps and G's samples turn flat."
        ),
        claim_ko=(
            "Tanh로 끝나는 G는 [-1, 1]로 스케일한 데이터처럼 (-1, 1) 범위의 값을 "
            "만든다. Sigmoid로 끝나는 G는 그 범위의 음수 절반을 만들 수 없어서, "
            "D가 50 스텝 안에 진짜와 가짜를 가르고 G의 샘플은 밋밋해진다."
        ),
    ),
    DemoInfo(
        name="sigmoid-output",
        module="sigmoid_output",
        questions=("tanh-and-sigmoid",),
        claim_en=(
            "Trained with real label 1, D's Sigmoid output on real batches, D(x), "
            "stays above 0.5 from step 30 on at the latest, D(G(z)) is below 0.5 in "
            "at least 95% of the steps after step 30, and D(x) > D(G(z)) in at "
            "least 95% of all steps: above 0.5 means real."
        ),
        claim_ko=(
            "진짜 레이블을 1로 학습하면 진짜 배치에 대한 D의 Sigmoid 출력 D(x)는 "
            "늦어도 30 스텝부터 0.5 위에 머물고, 30 스텝 이후 95% 이상의 스텝에서 "
            "D(G(z))는 0.5 아래이며, 전체 스텝의 95% 이상에서 D(x) > D(G(z))이다. "
            "0.5보다 크면 진짜라는 뜻이다."
        ),
    ),
    DemoInfo(
        name="bce-loss",
        module="bce_loss",
        questions=("why-bce-loss",),
        claim_en=(
            "BCE with labels 1 and 0 equals the negated GAN value function. Once D "
            "rejects G's samples, the non-saturating loss -log D(G(z)) gives G a "
            "gradient at least 10 times larger than log(1 - D(G(z))), and the "
            "ratio grows as D trains on. With Adam both generator losses train "
            "G; with SGD the saturating loss collapses. BCELoss on a Sigmoid "
            "returns a clamped 100 and zero gradient for extreme logits, where "
            "BCEWithLogitsLoss stays exact."
        ),
        claim_ko=(
            "레이블 1과 0으로 계산한 BCE는 GAN 가치 함수에 음수를 붙인 값과 같다. "
            "D가 G의 샘플을 가려내면, 포화하지 않는 손실 -log D(G(z))는 "
            "log(1 - D(G(z)))보다 10배 이상 큰 그래디언트를 G에 주고, D가 더 "
            "학습할수록 그 비율이 커진다. Adam에서는 두 생성자 손실 모두 G를 "
            "학습시키지만 SGD에서는 포화 손실이 붕괴한다. Sigmoid 뒤의 BCELoss는 "
            "극단적인 로짓에서 100으로 잘린 값과 0 그래디언트를 내지만 "
            "BCEWithLogitsLoss는 정확하다."
        ),
    ),
    DemoInfo(
        name="zero-mean",
        module="zero_mean",
        questions=("zero-centred-output",),
        claim_en=(
            "With non-negative inputs in [0, 1], the weight gradients of D's first "
            "convolution agree in sign at least 1.5 times as much as with "
            "zero-centred inputs in [-1, 1], so each filter moves in fewer "
            "directions; unscaled [0, 255] pixels stall training. Zero-centring "
            "alone did not give better samples in a short run: data in [0, 1] "
            "trained as well or better."
        ),
        claim_ko=(
            "입력이 [0, 1]처럼 모두 0 이상이면 D 첫 합성곱의 가중치 그래디언트 "
            "부호가 [-1, 1]의 0 중심 입력보다 1.5배 이상 더 일치해서 각 필터가 "
            "움직일 수 있는 방향이 줄어들고, 스케일하지 않은 [0, 255] 픽셀은 "
            "학습이 멈춘다. 다만 짧은 학습에서 0 중심화만으로 샘플이 더 좋아지지는 "
            "않았고, [0, 1] 데이터도 비슷하거나 더 잘 학습됐다."
        ),
    ),
)

NAMES: tuple[str, ...] = tuple(info.name for info in CATALOG)


def find(name: str) -> DemoInfo | None:
    """Return the catalog entry named ``name``, or None."""
    return next((info for info in CATALOG if info.name == name), None)
