package units_test

import (
	"fmt"

	"github.com/hebb-snn/hebb/units"
)

func ExampleIn() {
	tau, err := units.In("20 ms", "ms")
	fmt.Println(tau, err)

	current, _ := units.In("1.8 nA", "pA")
	fmt.Println(current)

	gbar, _ := units.In("2.5 mS/cm^2", "S/m^2")
	fmt.Println(gbar)

	rate, _ := units.In("15 Hz", "1/ms")
	fmt.Println(rate)

	_, err = units.In("20 mV", "ms")
	fmt.Println(err)

	_, err = units.In("20", "ms")
	fmt.Println(err)
	// Output:
	// 20 <nil>
	// 1800
	// 25
	// 0.015
	// expected a time like "20 ms", got a voltage ("20 mV")
	// "20" has no unit; expected a time like "20 ms"
}

func ExampleParse() {
	for _, s := range []string{"20 ms", "-70 mV", "10 MΩ", "0.5", "2.5 mS/cm2", "20 xs"} {
		q, err := units.Parse(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(q.Value, q.Dim)
	}
	// Output:
	// 0.02 time
	// -0.07 voltage
	// 1e+07 resistance
	// 0.5 dimensionless
	// 25 conductance per area
	// unknown unit "xs" in "20 xs" (known: s, Hz, V, A, ohm, S, F, m with prefixes f p n u µ m c k M G T)
}

func ExampleParseUnit() {
	scale, dim, _ := units.ParseUnit("ms")
	fmt.Println(scale, dim)
	scale, dim, _ = units.ParseUnit("uA/cm2")
	fmt.Println(scale, dim)
	// Output:
	// 0.001 time
	// 0.01 current per area
}

func ExampleQuantity_In() {
	q := units.Quantity{Value: 0.02, Dim: units.Time}
	ms, _ := q.In("ms")
	fmt.Println(ms)
	// Output: 20
}

func ExampleFormat() {
	fmt.Println(units.Format(20, "ms"))
	fmt.Println(units.Format(-70, "mV"))
	fmt.Println(units.Format(0.5, ""))
	// Output:
	// 20 ms
	// -70 mV
	// 0.5
}

func ExampleExample() {
	fmt.Println(units.Example(units.Capacitance))
	fmt.Println(units.Example(units.CapacitancePerArea))
	fmt.Println(units.Example(units.Dim{Length: 1, Time: -1}))
	// Output:
	// 250 pF
	// 1 uF/cm^2
	// 1 m/s
}

func ExampleDim_String() {
	fmt.Println(units.Voltage)
	fmt.Println(units.Dim{Length: -2, Mass: 1, Time: -3, Current: -1})
	// Output:
	// voltage
	// m^-2 kg s^-3 A^-1
}
