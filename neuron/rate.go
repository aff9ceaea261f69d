package neuron

import (
	"math"

	"github.com/hebb-snn/hebb/param"
	"github.com/hebb-snn/hebb/rng"
)

// Rate (discrete-time) units, the perceptron analogy. In each step a unit
// sums the weighted outputs of its presynaptic units that arrive now,
//
//	x = Σ_j w_ij·y_j + bias,
//
// and emits y = f(x):
//
//	threshold:      y = 1 if x > θ, else 0
//	sigmoid:        y = σ(β·(x − θ)),  σ(u) = 1/(1 + e^{−u})
//	noisy_sigmoid:  y = 1 with probability σ(β·(x − θ)), else 0
//	relu:           y = max(0, β·(x − θ))
//	linear:         y = β·(x − θ)   (may be negative)
//
// Units with y ≠ 0 send y to their targets, which receive it one synaptic
// delay later. Weights and activities are dimensionless.
func init() {
	Register(&Model{
		Schema: param.Schema{
			Name:      "rate",
			Doc:       "discrete-time rate unit y = f(Σ w·y_pre + bias): threshold, sigmoid, noisy (stochastic binary) sigmoid, ReLU or linear",
			Reference: "McCulloch & Pitts 1943; Rosenblatt 1958",
			Params: []param.Def{
				{Name: "activation", Kind: param.Choice, Choices: []string{"threshold", "sigmoid", "noisy_sigmoid", "relu", "linear"}, Doc: "the function f"},
				{Name: "theta", Default: 0, Doc: "threshold θ"},
				{Name: "beta", Default: 1, Range: param.NonNegative, Doc: "gain β of sigmoid and relu"},
				{Name: "bias", Default: 0, Doc: "constant added to the input"},
			},
		},
		State: []param.Def{
			{Name: "x", Kind: param.Random, Default: 0, Output: true, Doc: "input in the last step"},
			{Name: "y", Kind: param.Random, Default: 0, Output: true, Doc: "output in the last step"},
		},
		WeightUnit: "",
		New: func(n int, v param.Values, env Env) (Kernel, error) {
			k := &rateUnits{
				X: make([]float64, n), Y: make([]float64, n),
				theta: v.Num("theta"), beta: v.Num("beta"), bias: v.Num("bias"),
			}
			switch v.Word("activation") {
			case "threshold":
				k.f = actThreshold
			case "sigmoid":
				k.f = actSigmoid
			case "noisy_sigmoid":
				k.f = actNoisySigmoid
				k.rng = make([]rng.Stream, n)
				for i := range k.rng {
					k.rng[i] = rng.New(env.Seed, rng.KeyNeuron, uint64(env.Offset+i))
				}
			case "relu":
				k.f = actReLU
			case "linear":
				k.f = actLinear
			}
			return k, nil
		},
	})
}

const (
	actThreshold = iota
	actSigmoid
	actNoisySigmoid
	actReLU
	actLinear
)

type rateUnits struct {
	X, Y              []float64
	f                 int
	theta, beta, bias float64
	rng               []rng.Stream
}

func (k *rateUnits) Var(name string) []float64 {
	switch name {
	case "x":
		return k.X
	case "y":
		return k.Y
	}
	return nil
}

func (k *rateUnits) Step(lo, hi int, in *Input, out *Output) {
	for i := lo; i < hi; i++ {
		x := in.Ex[i] + in.In[i] + k.bias
		var y float64
		switch k.f {
		case actThreshold:
			if x > k.theta {
				y = 1
			}
		case actSigmoid:
			y = sigmoid(k.beta * (x - k.theta))
		case actNoisySigmoid:
			if k.rng[i].Float64() < sigmoid(k.beta*(x-k.theta)) {
				y = 1
			}
		case actReLU:
			y = math.Max(0, k.beta*(x-k.theta))
		case actLinear:
			y = k.beta * (x - k.theta)
		}
		k.X[i], k.Y[i] = x, y
		if y != 0 {
			out.Emit(i, y)
		}
	}
}

func sigmoid(u float64) float64 { return 1 / (1 + math.Exp(-u)) }
