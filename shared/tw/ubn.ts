/**
 * 統一編號 (unified business number, 8 digits). Rules: taiwan-nhi-facts.md ("Validation rules"):
 * weights 1,2,1,2,1,2,4,1; sum the digit sums of each product; valid when divisible by 5 (the rule
 * since 2023-04-01, which also accepts every number valid under the old divisor 10). When the 7th
 * digit is 7 the product 28 may count as 10 or 11, so total + 1 passing is also valid.
 */
const WEIGHTS = [1, 2, 1, 2, 1, 2, 4, 1] as const;

export function isValidUbn(value: string): boolean {
  if (!/^\d{8}$/.test(value)) return false;
  let total = 0;
  for (let i = 0; i < 8; i++) {
    const product = Number(value[i]) * WEIGHTS[i]!;
    total += Math.floor(product / 10) + (product % 10);
  }
  if (total % 5 === 0) return true;
  return value[6] === '7' && (total + 1) % 5 === 0;
}

/** 自然人憑證 card number: two letters and 14 digits. */
export function isCitizenCardNumber(value: string): boolean {
  return /^[A-Z]{2}\d{14}$/.test(value);
}
