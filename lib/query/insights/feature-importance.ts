import DecisionTree from 'decision-tree';
import { seededRandom, shuffled } from '../../domain/random.js';

/**
 * Which trade features separate winners from losers: a random forest of ID3 trees (the `decision-tree`
 * package) grown on bootstrap samples, each tree on a random subset of the features. A feature's
 * importance is the information gain of its splits weighted by the samples they split, summed over the
 * forest and normalised to 1. ID3's gain favours features with many values (24 hours beat 2 directions
 * by chance alone), so every feature gets a "shadow": the same values shuffled across trades, which
 * carries no information but has the same cardinality. A feature matters when it beats its shadow.
 */

export interface ForestOptions {
  trees: number;
  /** Features per tree. */
  featuresPerTree: number;
  seed: number;
  /** Splits of fewer rows than max(minRows, minShare x rows) do not count towards importance. */
  minRows: number;
  minShare: number;
}

export const DEFAULT_FOREST: ForestOptions = { trees: 25, featuresPerTree: 3, seed: 7, minRows: 50, minShare: 0.02 };

export interface FeatureImportance {
  feature: string;
  importance: number;
  shadow: number;
  /** importance - shadow: above 0 means better than the same values in random order. */
  excess: number;
}

interface TreeNode {
  type: string;
  name: string;
  gain?: number;
  sampleSize?: number;
  vals?: { child?: TreeNode }[];
}

type Row = Record<string, string | number>;

/** Splits of fewer rows than `minRows` are left out: ID3 grows every path to the end, and gains on tiny nodes are noise. */
function addGains(node: TreeNode | undefined, into: Map<string, number>, minRows: number): void {
  if (!node) return;
  if (node.type === 'feature' && node.gain && node.sampleSize && node.sampleSize >= minRows) into.set(node.name, (into.get(node.name) ?? 0) + node.gain * node.sampleSize);
  for (const v of node.vals ?? []) addGains(v.child, into, minRows);
}

/** `rows` hold the features (categorical values) and the 0/1 `target`. */
export function featureImportance(rows: Row[], features: string[], target: string, o: ForestOptions = DEFAULT_FOREST): FeatureImportance[] {
  if (rows.length < 2 || features.length === 0) return [];
  const random = seededRandom(o.seed);
  const shadowName = (f: string) => `${f}~shadow`;
  // Shadows: each feature's column shuffled across rows.
  const data: Row[] = rows.map((r) => ({ ...r }));
  for (const f of features) {
    const col = shuffled(rows.map((r) => r[f]!), random);
    for (let i = 0; i < data.length; i++) data[i]![shadowName(f)] = col[i]!;
  }
  const all = [...features, ...features.map(shadowName)];
  const gains = new Map<string, number>();
  for (let t = 0; t < o.trees; t++) {
    const sample = new Array<Row>(data.length);
    for (let i = 0; i < data.length; i++) sample[i] = data[Math.floor(random() * data.length)]!;
    const subset = shuffled(all, random).slice(0, Math.min(o.featuresPerTree, all.length));
    const tree = new DecisionTree(target, subset);
    tree.train(sample);
    addGains((tree.toJSON() as { model: TreeNode }).model, gains, Math.max(o.minRows, Math.ceil(o.minShare * data.length)));
  }
  const total = [...gains.values()].reduce((a, b) => a + b, 0) || 1;
  return features
    .map((f) => {
      const importance = (gains.get(f) ?? 0) / total;
      const shadow = (gains.get(shadowName(f)) ?? 0) / total;
      return { feature: f, importance, shadow, excess: importance - shadow };
    })
    .sort((a, b) => b.excess - a.excess);
}
