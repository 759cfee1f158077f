console.log('c')
