export { type Dataset, TensorDataset, takeRows } from "./dataset.ts";
export { DataLoader, type DataLoaderOptions, type Collatable, default_collate, randperm } from "./dataloader.ts";
export { load_iris, type Iris, make_moons, make_spirals, make_regression, type ToyDataOptions } from "./datasets.ts";
