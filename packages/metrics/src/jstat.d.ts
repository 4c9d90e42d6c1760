// jstat ships no type declarations; these are the few functions distributions.ts calls.
declare module 'jstat' {
  const jStat: {
    studentt: { cdf(x: number, dof: number): number; inv(p: number, dof: number): number };
    normal: { cdf(x: number, mean: number, std: number): number };
  };
  export default jStat;
}
