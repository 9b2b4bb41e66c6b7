/** One finding: a sentence, and the numbers it states (every number in the sentence is among them). */
export interface Finding {
  kind: 'window' | 'streak' | 'stop_loss' | 'excursion' | 'feature';
  text: string;
  facts: Record<string, string | number | null>;
}
