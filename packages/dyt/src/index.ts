export { dyt, dynamicTanh, type DytOptions } from './dyt.js';
