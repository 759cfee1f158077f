import { calls } from '../shared/contract'
console.log(Object.keys(calls))
