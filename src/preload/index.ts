/* The preload: exposes the contract client as window.earshot, and nothing else. No logic here. */
import { contextBridge, ipcRenderer } from 'electron'
import { createBridge } from './bridge'

contextBridge.exposeInMainWorld('earshot', createBridge(ipcRenderer))
