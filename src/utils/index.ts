// torch.utils: data loading (utils.data).
export * as data from "./data/index.ts";
