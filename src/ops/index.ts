// Attaches every op family's methods to Tensor. Import order does not matter.
import "../autograd/grad.ts";
import "./arithmetic.ts";
import "./copy.ts";
import "./reduce.ts";
import "./reshape.ts";
import "./matmul.ts";
import "./shape.ts";
import "./norm.ts";
import "./minmax.ts";
import "./indexing.ts";
