console.log('e')
