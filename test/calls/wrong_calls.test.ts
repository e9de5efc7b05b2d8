import { describe, expect, it } from "vitest";
import * as gl from "gradlab";
import { type Tensor, ones } from "gradlab";
import { fixture } from "../helpers.ts";

// Which calls are wrong, and that torch raises a TypeError for each: tools/fixtures/tensor_calls.py
// (torch 1.13, its message kept beside each case in the fixture). gradlab's messages are those
// of its declared signatures (src/utils/signature.ts), in TypeScript spelling: each names the
// argument, what it must be and what it got, or says which arguments are missing, surplus,
// unknown or given twice.
interface Wrong {
  python: string;
  label: string;
  error: string;
  message: string;
}
const F = fixture<{ wrong: Wrong[] }>("calls/tensor_calls");

type Loose = Record<string, (...args: unknown[]) => unknown>;
/** The tensor's methods without their types: these calls are what `tsc` rejects or cannot see. */
const m = (x: Tensor): Loose => x as unknown as Loose;
const f = gl as unknown as Loose;

const mustBe = (name: string, argument: string, expected: string, got: string): string =>
  `${name}(): argument '${argument}' must be ${expected}, but got ${got}`;
const OPERAND = "a Tensor or a number";
const LIST = "an integer or an array of integers";
const DIMS = "an integer or an array of integers or null";
const TO_OVERLOADS =
  "(device = null, dtype = null, non_blocking = false, copy = false, { memory_format = null }) or (dtype, non_blocking = false, copy = false, { memory_format = null }) or (tensor, non_blocking = false, copy = false, { memory_format = null })";
const toCombination = (got: string): string => `to() received an invalid combination of arguments - got (${got}), but expected one of: ${TO_OVERLOADS}`;
const VARIANCE = "but expected one of: (dim = null, unbiased = null, keepdim = false, { correction = null }) or (unbiased)";

const WRONG: Record<string, [call: (x: Tensor, y: Tensor) => unknown, message: string]> = {
  "exp(x, 1)": [(x) => f.exp!(x, 1), "exp() takes 1 positional argument but 2 were given"],
  "exp(5)": [() => f.exp!(5), mustBe("exp", "input", "a Tensor", "number 5")],
  "exp()": [() => f.exp!(), "exp() missing 1 required positional argument: 'input'"],
  "exp(x, { foo: 1 })": [(x) => f.exp!(x, { foo: 1 }), "exp() got an unexpected keyword argument 'foo'"],
  "abs(x, 1)": [(x) => f.abs!(x, 1), "abs() takes 1 positional argument but 2 were given"],
  "sign([1])": [() => f.sign!([1]), mustBe("sign", "input", "a Tensor", "array [1]")],
  "neg(x, 1)": [(x) => f.neg!(x, 1), "neg() takes 1 positional argument but 2 were given"],
  "relu(x, 1)": [(x) => f.relu!(x, 1), "relu() takes 1 positional argument but 2 were given"],
  "sigmoid(x, 1)": [(x) => f.sigmoid!(x, 1), "sigmoid() takes 1 positional argument but 2 were given"],
  "tanh(x, { input: x })": [(x) => f.tanh!(x, { input: x }), "tanh() got multiple values for argument 'input'"],
  "isnan(x, 1)": [(x) => f.isnan!(x, 1), "isnan() takes 1 positional argument but 2 were given"],
  "t(x, 1)": [(x) => f.t!(x, 1), "t() takes 1 positional argument but 2 were given"],
  "matmul(x)": [(x) => f.matmul!(x), "matmul() missing 1 required positional argument: 'other'"],
  "matmul(x, y.t(), x)": [(x, y) => f.matmul!(x, y.t(), x), "matmul() takes 2 positional arguments but 3 were given"],
  "matmul(x, 3)": [(x) => f.matmul!(x, 3), mustBe("matmul", "other", "a Tensor", "number 3")],
  "mm(x)": [(x) => f.mm!(x), "mm() missing 1 required positional argument: 'mat2'"],
  'x.add("a")': [(x) => m(x).add!("a"), mustBe("add", "other", OPERAND, 'string "a"')],
  "x.add()": [(x) => m(x).add!(), "add() missing 1 required positional argument: 'other'"],
  "x.add(null)": [(x) => m(x).add!(null), mustBe("add", "other", OPERAND, "null")],
  "x.add(y, 2)": [(x, y) => m(x).add!(y, 2), "add() takes 1 positional argument but 2 were given"],
  'x.add(y, { alpha: "a" })': [(x, y) => m(x).add!(y, { alpha: "a" }), mustBe("add", "alpha", "a number", 'string "a"')],
  "x.add(y, { alfa: 2 })": [(x, y) => m(x).add!(y, { alfa: 2 }), "add() got an unexpected keyword argument 'alfa'. Did you mean 'alpha'?"],
  "x.add(y, { other: y })": [(x, y) => m(x).add!(y, { other: y }), "add() got multiple values for argument 'other'"],
  'x.add_("a")': [(x) => m(x).add_!("a"), mustBe("add_", "other", OPERAND, 'string "a"')],
  "x.add_(y, 2)": [(x, y) => m(x).add_!(y, 2), "add_() takes 1 positional argument but 2 were given"],
  'x.mul("a")': [(x) => m(x).mul!("a"), mustBe("mul", "other", OPERAND, 'string "a"')],
  "x.mul(y, y)": [(x, y) => m(x).mul!(y, y), "mul() takes 1 positional argument but 2 were given"],
  'x.div_("a")': [(x) => m(x).div_!("a"), mustBe("div_", "other", OPERAND, 'string "a"')],
  'x.view("a")': [(x) => m(x).view!("a"), mustBe("view", "size", LIST, 'string "a"')],
  'x.view(2, "a")': [(x) => m(x).view!(2, "a"), mustBe("view", "size", LIST, 'array [2,"a"]')],
  "x.view()": [(x) => m(x).view!(), "view() missing 1 required positional argument: 'size'"],
  "x.view(2.5, 3)": [(x) => m(x).view!(2.5, 3), mustBe("view", "size", LIST, "array [2.5,3]")],
  "x.view(true, 6)": [(x) => m(x).view!(true, 6), mustBe("view", "size", LIST, "array [true,6]")],
  "x.view(2, 3, { foo: 1 })": [(x) => m(x).view!(2, 3, { foo: 1 }), "view() got an unexpected keyword argument 'foo'"],
  'x.reshape("a")': [(x) => m(x).reshape!("a"), mustBe("reshape", "shape", LIST, 'string "a"')],
  "x.reshape()": [(x) => m(x).reshape!(), "reshape() missing 1 required positional argument: 'shape'"],
  "x.reshape(2, 3, { foo: 1 })": [(x) => m(x).reshape!(2, 3, { foo: 1 }), "reshape() got an unexpected keyword argument 'foo'"],
  "x.expand()": [(x) => m(x).expand!(), "expand() missing 1 required positional argument: 'size'"],
  'x.expand("a")': [(x) => m(x).expand!("a"), mustBe("expand", "size", LIST, 'string "a"')],
  "x.permute()": [(x) => m(x).permute!(), "permute() missing 1 required positional argument: 'dims'"],
  'x.permute("a")': [(x) => m(x).permute!("a"), mustBe("permute", "dims", LIST, 'string "a"')],
  "x.repeat()": [(x) => m(x).repeat!(), "repeat() missing 1 required positional argument: 'repeats'"],
  'x.repeat("a")': [(x) => m(x).repeat!("a"), mustBe("repeat", "repeats", LIST, 'string "a"')],
  'x.sum(1, "a")': [(x) => m(x).sum!(1, "a"), mustBe("sum", "keepdim", "a boolean", 'string "a"')],
  "x.sum(1.5)": [(x) => m(x).sum!(1.5), mustBe("sum", "dim", DIMS, "number 1.5")],
  "x.sum(true)": [(x) => m(x).sum!(true), mustBe("sum", "dim", DIMS, "boolean true")],
  "x.sum(1, true, null, 4)": [(x) => m(x).sum!(1, true, null, 4), "sum() takes from 0 to 2 positional arguments but 4 were given"],
  "x.sum(1, { dim: 1 })": [(x) => m(x).sum!(1, { dim: 1 }), "sum() got multiple values for argument 'dim'"],
  "x.sum({ dim: 1, keepdm: true })": [(x) => m(x).sum!({ dim: 1, keepdm: true }), "sum() got an unexpected keyword argument 'keepdm'. Did you mean 'keepdim'?"],
  "x.mean(1, 2)": [(x) => m(x).mean!(1, 2), mustBe("mean", "keepdim", "a boolean", "number 2")],
  "x.softmax()": [(x) => m(x).softmax!(), "softmax() missing 1 required positional argument: 'dim'"],
  "x.softmax(1, 2, 3)": [(x) => m(x).softmax!(1, 2, 3), "softmax() takes from 1 to 2 positional arguments but 3 were given"],
  "x.softmax(1.5)": [(x) => m(x).softmax!(1.5), mustBe("softmax", "dim", "an integer", "number 1.5")],
  "x.log_softmax()": [(x) => m(x).log_softmax!(), "log_softmax() missing 1 required positional argument: 'dim'"],
  "x.transpose(0)": [(x) => m(x).transpose!(0), "transpose() missing 1 required positional argument: 'dim1'"],
  'x.transpose(0, "a")': [(x) => m(x).transpose!(0, "a"), mustBe("transpose", "dim1", "an integer", 'string "a"')],
  "x.transpose(0, 1, 2)": [(x) => m(x).transpose!(0, 1, 2), "transpose() takes 2 positional arguments but 3 were given"],
  'x.flatten("a")': [(x) => m(x).flatten!("a"), mustBe("flatten", "start_dim", "an integer", 'string "a"')],
  "x.flatten(0, 1, 2)": [(x) => m(x).flatten!(0, 1, 2), "flatten() takes from 0 to 2 positional arguments but 3 were given"],
  "x.flatten(1, { start_dim: 1 })": [(x) => m(x).flatten!(1, { start_dim: 1 }), "flatten() got multiple values for argument 'start_dim'"],
  "x.squeeze(1, 2)": [(x) => m(x).squeeze!(1, 2), "squeeze() takes from 0 to 1 positional arguments but 2 were given"],
  "x.unsqueeze()": [(x) => m(x).unsqueeze!(), "unsqueeze() missing 1 required positional argument: 'dim'"],
  'x.unsqueeze("a")': [(x) => m(x).unsqueeze!("a"), mustBe("unsqueeze", "dim", "an integer", 'string "a"')],
  "x.unsqueeze(true)": [(x) => m(x).unsqueeze!(true), mustBe("unsqueeze", "dim", "an integer", "boolean true")],
  "x.unsqueeze(0, 1)": [(x) => m(x).unsqueeze!(0, 1), "unsqueeze() takes 1 positional argument but 2 were given"],
  "x.isclose()": [(x) => m(x).isclose!(), "isclose() missing 1 required positional argument: 'other'"],
  'x.isclose(y, "a")': [(x, y) => m(x).isclose!(y, "a"), mustBe("isclose", "rtol", "a number", 'string "a"')],
  "x.isclose(y, { equal_nan: 1 })": [(x, y) => m(x).isclose!(y, { equal_nan: 1 }), mustBe("isclose", "equal_nan", "a boolean", "number 1")],
  "x.allclose(y, 1, 2, 3, 4)": [(x, y) => m(x).allclose!(y, 1, 2, 3, 4), "allclose() takes from 1 to 4 positional arguments but 5 were given"],
  'x.max(1, "a")': [(x) => m(x).max!(1, "a"), mustBe("max", "keepdim", "a boolean", 'string "a"')],
  "x.max(1, true, 2)": [(x) => m(x).max!(1, true, 2), "max() takes from 1 to 2 positional arguments but 3 were given"],
  "x.max({ dim: 1, keepdm: true })": [(x) => m(x).max!({ dim: 1, keepdm: true }), "max() got an unexpected keyword argument 'keepdm'. Did you mean 'keepdim'?"],
  "x.max(y, true)": [(x, y) => m(x).max!(y, true), "max() takes 1 positional argument but 2 were given"],
  "x.argmax(1.5)": [(x) => m(x).argmax!(1.5), mustBe("argmax", "dim", "an integer or null", "number 1.5")],
  'x.amax("a")': [(x) => m(x).amax!("a"), mustBe("amax", "dim", LIST, 'string "a"')],
  'x.var(1, "a")': [(x) => m(x).var!(1, "a"), mustBe("var", "unbiased", "a boolean or null", 'string "a"')],
  "x.var(1, true, { correction: 0 })": [
    (x) => m(x).var!(1, true, { correction: 0 }),
    "var() received an invalid combination of arguments - got both unbiased and correction: give one (unbiased: true is correction: 1, unbiased: false is correction: 0)",
  ],
  "x.std(1, 2)": [(x) => m(x).std!(1, 2), mustBe("std", "unbiased", "a boolean or null", "number 2")],
  "x.logsumexp()": [(x) => m(x).logsumexp!(), "logsumexp() missing 1 required positional argument: 'dim'"],
  'x.norm(2, 1, "a")': [(x) => m(x).norm!(2, 1, "a"), mustBe("norm", "keepdim", "a boolean", 'string "a"')],
  'x.clamp("a")': [(x) => m(x).clamp!("a"), mustBe("clamp", "min", `${OPERAND} or null`, 'string "a"')],
  'x.clamp_({ min: "a" })': [(x) => m(x).clamp_!({ min: "a" }), mustBe("clamp_", "min", `${OPERAND} or null`, 'string "a"')],
  "x.pow()": [(x) => m(x).pow!(), "pow() missing 1 required positional argument: 'exponent'"],
  'x.pow("a")': [(x) => m(x).pow!("a"), mustBe("pow", "exponent", OPERAND, 'string "a"')],
  'x.eq("a")': [(x) => m(x).eq!("a"), mustBe("eq", "other", OPERAND, 'string "a"')],
  "x.ge()": [(x) => m(x).ge!(), "ge() missing 1 required positional argument: 'other'"],
  "x.maximum()": [(x) => m(x).maximum!(), "maximum() missing 1 required positional argument: 'other'"],
  "x.where(y)": [(x, y) => m(x).where!(y), "where() missing 1 required positional argument: 'other'"],
  "x.narrow(0, 0)": [(x) => m(x).narrow!(0, 0), "narrow() missing 1 required positional argument: 'length'"],
  "x.gather(1)": [(x) => m(x).gather!(1), "gather() missing 1 required positional argument: 'index'"],
  "x.gather(1, idx, true)": [(x) => m(x).gather!(1, [[0], [1]], true), "gather() takes 2 positional arguments but 3 were given"],
  "x.lerp(y)": [(x, y) => m(x).lerp!(y), "lerp() missing 1 required positional argument: 'weight'"],
  'x.lerp_(y, "a")': [(x, y) => m(x).lerp_!(y, "a"), mustBe("lerp_", "weight", OPERAND, 'string "a"')],
  "x.addcmul(y, y, 2)": [(x, y) => m(x).addcmul!(y, y, 2), "addcmul() takes 2 positional arguments but 3 were given"],
  "x.fill_()": [(x) => m(x).fill_!(), "fill_() missing 1 required positional argument: 'value'"],
  'x.fill_("a")': [(x) => m(x).fill_!("a"), mustBe("fill_", "value", "a number", 'string "a"')],
  'x.uniform_("a")': [(x) => m(x).uniform_!("a"), mustBe("uniform_", "from", "a number", 'string "a"')],
  "x.normal_(0, 1, 2)": [(x) => m(x).normal_!(0, 1, 2), "normal_() takes from 0 to 2 positional arguments but 3 were given"],
  'max(x, 1, "a")': [(x) => f.max!(x, 1, "a"), mustBe("max", "keepdim", "a boolean", 'string "a"')],
  'clamp(x, "a")': [(x) => f.clamp!(x, "a"), mustBe("clamp", "min", `${OPERAND} or null`, 'string "a"')],
  "narrow(x, 0, 0)": [(x) => f.narrow!(x, 0, 0), "narrow() missing 1 required positional argument: 'length'"],
  "gather(x, 1)": [(x) => f.gather!(x, 1), "gather() missing 1 required positional argument: 'index'"],
  "logsumexp(x)": [(x) => f.logsumexp!(x), "logsumexp() missing 1 required positional argument: 'dim'"],
  'argmax(x, "a")': [(x) => f.argmax!(x, "a"), mustBe("argmax", "dim", "an integer or null", 'string "a"')],
  "add(x)": [(x) => f.add!(x), "add() missing 1 required positional argument: 'other'"],
  'add(x, "a")': [(x) => f.add!(x, "a"), mustBe("add", "other", OPERAND, 'string "a"')],
  "reshape(x, 2, 3)": [(x) => f.reshape!(x, 2, 3), "reshape() takes 2 positional arguments but 3 were given"],
  "permute(x, 1, 0)": [(x) => f.permute!(x, 1, 0), "permute() takes 2 positional arguments but 3 were given"],
  "transpose(x, 0)": [(x) => f.transpose!(x, 0), "transpose() missing 1 required positional argument: 'dim1'"],
  'sum(x, 1, "a")': [(x) => f.sum!(x, 1, "a"), mustBe("sum", "keepdim", "a boolean", 'string "a"')],
  "softmax(x)": [(x) => f.softmax!(x), "softmax() missing 1 required positional argument: 'dim'"],
  "x.clamp_min()": [(x) => m(x).clamp_min!(), "clamp_min() missing 1 required positional argument: 'min'"],
  "x.clamp_min(0, 1)": [(x) => m(x).clamp_min!(0, 1), "clamp_min() takes 1 positional argument but 2 were given"],
  'x.clamp_max("a")': [(x) => m(x).clamp_max!("a"), mustBe("clamp_max", "max", OPERAND, 'string "a"')],
  'x.to("float64", false, true, true)': [(x) => m(x).to!("float64", false, true, true), toCombination("string, boolean, boolean, boolean")],
  'x.to("float64", { copy: 1.5 })': [(x) => m(x).to!("float64", { copy: 1.5 }), toCombination("string, {copy}")],
  'x.to("cpu", "float64", false, true, true)': [
    (x) => m(x).to!("cpu", "float64", false, true, true),
    "to() takes from 0 to 4 positional arguments but 5 were given",
  ],
  'x.to("cpu", "cpu")': [(x) => m(x).to!("cpu", "cpu"), toCombination("string, string")],
  'x.to("float64", { dtype: "float64" })': [(x) => m(x).to!("float64", { dtype: "float64" }), toCombination("string, {dtype}")],
  'x.to("float64", { foo: 1 })': [(x) => m(x).to!("float64", { foo: 1 }), toCombination("string, {foo}")],
  'x.to(y, { dtype: "float64" })': [(x, y) => m(x).to!(y, { dtype: "float64" }), toCombination("Tensor, {dtype}")],
  "x.to({ other: y })": [(x, y) => m(x).to!({ other: y }), toCombination("{other}")],
  'x.to("float64", "a")': [(x) => m(x).to!("float64", "a"), toCombination("string, string")],
  "x.to(y, 1)": [(x, y) => m(x).to!(y, 1), toCombination("Tensor, number")],
  "x.copy_()": [(x) => m(x).copy_!(), "copy_() missing 1 required positional argument: 'other'"],
  "x.copy_(y, false, 1)": [(x, y) => m(x).copy_!(y, false, 1), "copy_() takes from 1 to 2 positional arguments but 3 were given"],
  "x.copy_({ src: y })": [(x, y) => m(x).copy_!({ src: y }), "copy_() got an unexpected keyword argument 'src'"],
  "x.matmul()": [(x) => m(x).matmul!(), "matmul() missing 1 required positional argument: 'other'"],
  "x.matmul(2)": [(x) => m(x).matmul!(2), mustBe("matmul", "other", "a Tensor", "number 2")],
  "x.mm(y.t(), y)": [(x, y) => m(x).mm!(y.t(), y), "mm() takes 1 positional argument but 2 were given"],
  'x.leaky_relu("a")': [(x) => m(x).leaky_relu!("a"), mustBe("leaky_relu", "negative_slope", "a number", 'string "a"')],
  'x.gelu("tanh")': [(x) => m(x).gelu!("tanh"), "gelu() takes 0 positional arguments but 1 was given"],
  'x.gelu({ approximat: "tanh" })': [
    (x) => m(x).gelu!({ approximat: "tanh" }),
    "gelu() got an unexpected keyword argument 'approximat'. Did you mean 'approximate'?",
  ],
  "x.softplus(1, 20, 3)": [(x) => m(x).softplus!(1, 20, 3), "softplus() takes from 0 to 2 positional arguments but 3 were given"],
  'x.softplus("a")': [(x) => m(x).softplus!("a"), mustBe("softplus", "beta", "a number", 'string "a"')],
  "x.sum({ dim: 1, axis: 1 })": [(x) => m(x).sum!({ dim: 1, axis: 1 }), "sum() got multiple values for argument 'dim'"],
  "x.sum(1, { axis: 1 })": [(x) => m(x).sum!(1, { axis: 1 }), "sum() got multiple values for argument 'dim'"],
  "x.sum(1, true, { keepdims: true })": [(x) => m(x).sum!(1, true, { keepdims: true }), "sum() got multiple values for argument 'keepdim'"],
  "x.norm({ dim: 1, keepdims: true })": [
    (x) => m(x).norm!({ dim: 1, keepdims: true }),
    "norm() got an unexpected keyword argument 'keepdims'. Did you mean 'keepdim'?",
  ],
  "norm(x, { axis: 1 })": [(x) => f.norm!(x, { axis: 1 }), "norm() got an unexpected keyword argument 'axis'"],
  "x.flatten({ axis: 0 })": [(x) => m(x).flatten!({ axis: 0 }), "flatten() got an unexpected keyword argument 'axis'"],
  "x.transpose({ axis0: 0, axis1: 1 })": [(x) => m(x).transpose!({ axis0: 0, axis1: 1 }), "transpose() got an unexpected keyword argument 'axis0'"],
  "x.exp(1)": [(x) => m(x).exp!(1), "exp() takes no arguments (1 given)"],
  "x.relu(1, 2)": [(x) => m(x).relu!(1, 2), "relu() takes no arguments (2 given)"],
  "x.t(0)": [(x) => m(x).t!(0), "t() takes no arguments (1 given)"],
  "x.zero_(1)": [(x) => m(x).zero_!(1), "zero_() takes no arguments (1 given)"],
  "x.exp({ a: 1 })": [(x) => m(x).exp!({ a: 1 }), "exp() takes no keyword arguments"],
  "x.expand([2, 3], 1)": [(x) => m(x).expand!([2, 3], 1), "expand() takes 1 positional argument but 2 were given"],
  "x.var(false, true)": [(x) => m(x).var!(false, true), `var() received an invalid combination of arguments - got (boolean, boolean), ${VARIANCE}`],
  "x.std(true, true)": [(x) => m(x).std!(true, true), `std() received an invalid combination of arguments - got (boolean, boolean), ${VARIANCE}`],
  "var(x, false, true)": [(x) => f.var!(x, false, true), `var() received an invalid combination of arguments - got (Tensor, boolean, boolean), ${VARIANCE}`],
  "x.backward(y, false, false, null, 5)": [
    (x, y) => m(x).backward!(y, false, false, null, 5),
    "backward() takes from 0 to 4 positional arguments but 5 were given",
  ],
  "cat([x, y], 1, 2)": [(x, y) => f.cat!([x, y], 1, 2), "cat() takes from 1 to 2 positional arguments but 3 were given"],
  "cat([x, y], 1.5)": [(x, y) => f.cat!([x, y], 1.5), mustBe("cat", "dim", "an integer", "number 1.5")],
  "cat([x, y], true)": [(x, y) => f.cat!([x, y], true), mustBe("cat", "dim", "an integer", "boolean true")],
  "cat([x, y], { dims: 1 })": [(x, y) => f.cat!([x, y], { dims: 1 }), "cat() got an unexpected keyword argument 'dims'. Did you mean 'dim'?"],
  "cat([x, y], { dim: 1, axis: 1 })": [(x, y) => f.cat!([x, y], { dim: 1, axis: 1 }), "cat() got multiple values for argument 'dim'"],
  "cat([x, y], 1, { dim: 1 })": [(x, y) => f.cat!([x, y], 1, { dim: 1 }), "cat() got multiple values for argument 'dim'"],
  "cat(x)": [(x) => f.cat!(x), mustBe("cat", "tensors", "an array of Tensors", "a Tensor")],
  "cat([x, 5])": [(x) => f.cat!([x, 5]), "cat(): expected a Tensor as element 1 of argument 'tensors', but got number 5"],
  "cat()": [() => f.cat!(), "cat() missing 1 required positional argument: 'tensors'"],
  "stack([x, y], 1, 2)": [(x, y) => f.stack!([x, y], 1, 2), "stack() takes from 1 to 2 positional arguments but 3 were given"],
  'stack([x, y], "a")': [(x, y) => f.stack!([x, y], "a"), mustBe("stack", "dim", "an integer", 'string "a"')],
  "stack([x, y], null)": [(x, y) => f.stack!([x, y], null), mustBe("stack", "dim", "an integer", "null")],
  "stack([x, y], { dimm: 1 })": [(x, y) => f.stack!([x, y], { dimm: 1 }), "stack() got an unexpected keyword argument 'dimm'. Did you mean 'dim'?"],
  "stack(x)": [(x) => f.stack!(x), mustBe("stack", "tensors", "an array of Tensors", "a Tensor")],
  "stack([x, 3])": [(x) => f.stack!([x, 3]), "stack(): expected a Tensor as element 1 of argument 'tensors', but got number 3"],
  "stack()": [() => f.stack!(), "stack() missing 1 required positional argument: 'tensors'"],
  "clamp_min(x)": [(x) => f.clamp_min!(x), "clamp_min() missing 1 required positional argument: 'min'"],
  "clamp_min(x, 0, 1)": [(x) => f.clamp_min!(x, 0, 1), "clamp_min() takes 2 positional arguments but 3 were given"],
  'clamp_max(x, "a")': [(x) => f.clamp_max!(x, "a"), mustBe("clamp_max", "max", OPERAND, 'string "a"')],
  "clamp_min(x, { axis: 0 })": [(x) => f.clamp_min!(x, { axis: 0 }), "clamp_min() got an unexpected keyword argument 'axis'"],
  "square(x, 1)": [(x) => f.square!(x, 1), "square() takes 1 positional argument but 2 were given"],
  "x.square(1)": [(x) => m(x).square!(1), "square() takes no arguments (1 given)"],
  "x.cumsum()": [(x) => m(x).cumsum!(), "cumsum() missing 1 required positional argument: 'dim'"],
  'x.cumsum(1, "float64")': [(x) => m(x).cumsum!(1, "float64"), "cumsum() takes 1 positional argument but 2 were given"],
  "x.cumsum(1, 2)": [(x) => m(x).cumsum!(1, 2), "cumsum() takes 1 positional argument but 2 were given"],
  "x.cumsum(1.5)": [(x) => m(x).cumsum!(1.5), mustBe("cumsum", "dim", "an integer", "number 1.5")],
  'x.cumsum(1, { dtyp: "float64" })': [
    (x) => m(x).cumsum!(1, { dtyp: "float64" }),
    "cumsum() got an unexpected keyword argument 'dtyp'. Did you mean 'dtype'?",
  ],
  "cumsum(x)": [(x) => f.cumsum!(x), "cumsum() missing 1 required positional argument: 'dim'"],
  'cumsum(x, 1, "float64")': [(x) => f.cumsum!(x, 1, "float64"), "cumsum() takes 2 positional arguments but 3 were given"],
};

describe("wrong calls throw PyTorch's TypeError and change nothing", () => {
  it("lists exactly the wrong calls of the fixture", () => {
    expect(Object.keys(WRONG).sort()).toEqual(F.wrong.map((w) => w.label).sort());
  });

  it.each(F.wrong)("$label (torch: $message)", (w) => {
    expect(w.error).toBe("TypeError");
    const [call, message] = WRONG[w.label]!;
    const x = ones(2, 3, { requires_grad: false });
    const y = ones(2, 3);
    const [xVersion, yVersion] = [x._version, y._version];
    let thrown: unknown;
    try {
      call(x, y);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(TypeError);
    expect((thrown as TypeError).message).toBe(message);
    expect([x._version, y._version]).toEqual([xVersion, yVersion]);
    expect([x.tolist(), y.tolist()]).toEqual([ones(2, 3).tolist(), ones(2, 3).tolist()]);
  });
});
